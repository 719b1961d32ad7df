package kube

import (
	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/internal/rule"
)

// Rule IDs of the Kubernetes rules.
const (
	RulePrivileged       = "iac/k8s-privileged"
	RuleEscalation       = "iac/k8s-privilege-escalation"
	RuleRunAsRoot        = "iac/k8s-run-as-root"
	RuleCapabilities     = "iac/k8s-dangerous-capabilities"
	RuleHostNamespace    = "iac/k8s-host-namespace"
	RuleHostPath         = "iac/k8s-host-path"
	RuleLimits           = "iac/k8s-missing-limits"
	RuleImageLatest      = "iac/k8s-image-latest"
	RuleSecretEnv        = "iac/k8s-secret-in-env"
	RuleWritableRootFS   = "iac/k8s-writable-root-fs"
	RuleAutomountToken   = "iac/k8s-automount-sa-token"
	RuleDefaultNamespace = "iac/k8s-default-namespace"
)

var pss = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"

var rules = rule.NewSet(
	checks.Rule{ID: RulePrivileged, Title: "Privileged container", Severity: checks.SeverityHigh,
		Description: "`securityContext.privileged: true` gives the container all capabilities and access to the host's devices: a process in it is effectively root on the node. High: any compromise of the container is a compromise of the node.",
		Remediation: "Remove `privileged: true`; grant only the specific capabilities the workload needs.",
		References:  []string{"https://cwe.mitre.org/data/definitions/250.html", "CIS Kubernetes Benchmark 5.2.2", pss}},
	checks.Rule{ID: RuleEscalation, Title: "Privilege escalation allowed", Severity: checks.SeverityMedium,
		Description: "`allowPrivilegeEscalation` is true or unset (it defaults to true), so setuid binaries or file capabilities can give a process more privileges than its parent. The Restricted pod security standard requires false.",
		Remediation: "Set `allowPrivilegeEscalation: false` in each container's securityContext.",
		References:  []string{"https://cwe.mitre.org/data/definitions/269.html", "CIS Kubernetes Benchmark 5.2.6", pss}},
	checks.Rule{ID: RuleRunAsRoot, Title: "Container may run as root", Severity: checks.SeverityMedium,
		Description: "Neither the container nor the pod sets `runAsNonRoot: true` or a non-zero `runAsUser`, or one of them asks for UID 0, so the process runs as root if the image says so. Container-level settings override pod-level ones.",
		Remediation: "Set `runAsNonRoot: true` (and a non-zero `runAsUser` if the image has no numeric USER) in the pod or container securityContext.",
		References:  []string{"https://cwe.mitre.org/data/definitions/250.html", "CIS Kubernetes Benchmark 5.2.7", pss}},
	checks.Rule{ID: RuleCapabilities, Title: "Dangerous capability added", Severity: checks.SeverityHigh,
		Description: "`capabilities.add` grants SYS_ADMIN, NET_ADMIN, ALL or another capability that allows escaping the container or controlling the node's network, kernel modules or other processes.",
		Remediation: "Drop ALL capabilities and add back only narrow ones the workload needs (e.g. NET_BIND_SERVICE).",
		References:  []string{"https://cwe.mitre.org/data/definitions/250.html", "CIS Kubernetes Benchmark 5.2.8", "CIS Kubernetes Benchmark 5.2.9", pss}},
	checks.Rule{ID: RuleHostNamespace, Title: "Host namespace shared", Severity: checks.SeverityHigh,
		Description: "`hostNetwork`, `hostPID` or `hostIPC` is true: the pod sees the node's network interfaces, processes or shared memory, which bypasses network policies and exposes other workloads' processes and secrets.",
		Remediation: "Remove the setting; use a Service or a DaemonSet with the minimum capability instead.",
		References:  []string{"https://cwe.mitre.org/data/definitions/653.html", "CIS Kubernetes Benchmark 5.2.3", "CIS Kubernetes Benchmark 5.2.4", "CIS Kubernetes Benchmark 5.2.5", pss}},
	checks.Rule{ID: RuleHostPath, Title: "hostPath volume", Severity: checks.SeverityMedium,
		Description: "A hostPath volume mounts a directory of the node into the pod. Writable host paths allow tampering with the node; paths such as /, /etc, /proc, /var/lib/kubelet or the container runtime socket are a direct path to node takeover (reported as high).",
		Remediation: "Use a PersistentVolumeClaim, emptyDir, ConfigMap or CSI volume; if a host path is unavoidable, mount it readOnly and as narrowly as possible.",
		References:  []string{"https://cwe.mitre.org/data/definitions/668.html", "CIS Kubernetes Benchmark 5.2.12", pss}},
	checks.Rule{ID: RuleLimits, Title: "No resource limits", Severity: checks.SeverityLow,
		Description: "The container sets no memory or no CPU limit, so one misbehaving or attacked pod can exhaust the node and starve its neighbours (denial of service). Low: availability, not confidentiality.",
		Remediation: "Set `resources.limits.memory` and `resources.limits.cpu` (or enforce them with a LimitRange).",
		References:  []string{"https://cwe.mitre.org/data/definitions/770.html", "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"}},
	checks.Rule{ID: RuleImageLatest, Title: "Image uses the latest tag or no tag", Severity: checks.SeverityMedium,
		Description: "An image without a tag or with `:latest` (and no digest) runs whatever the registry serves when the pod starts: nodes may run different code, and rollbacks are impossible.",
		Remediation: "Pin a version tag, ideally with its digest (`image: repo/app:1.4.2@sha256:…`).",
		References:  []string{"https://cwe.mitre.org/data/definitions/1357.html", "https://kubernetes.io/docs/concepts/containers/images/#image-names"}},
	checks.Rule{ID: RuleSecretEnv, Title: "Secret as a literal environment value", Severity: checks.SeverityHigh,
		Description: "An env var named like a credential (`*_PASSWORD`, `*_TOKEN`, `*_KEY`…) has a literal `value:` in the manifest, so the secret is in the repository and readable by anyone who can read the workload object.",
		Remediation: "Store it in a Secret (or an external secret manager) and use `valueFrom.secretKeyRef`; rotate the exposed credential.",
		References:  []string{"https://cwe.mitre.org/data/definitions/798.html", "CIS Kubernetes Benchmark 5.4.1", "https://kubernetes.io/docs/concepts/configuration/secret/"}},
	checks.Rule{ID: RuleWritableRootFS, Title: "Writable root filesystem", Severity: checks.SeverityLow,
		Description: "`readOnlyRootFilesystem` is false or unset, so an attacker in the container can modify binaries and drop tools. Low: a hardening measure.",
		Remediation: "Set `readOnlyRootFilesystem: true` and mount an emptyDir where the application must write.",
		References:  []string{"https://cwe.mitre.org/data/definitions/732.html", "CIS Kubernetes Benchmark 5.7.3"}},
	checks.Rule{ID: RuleAutomountToken, Title: "Service account token mounted automatically", Severity: checks.SeverityLow,
		Description: "`automountServiceAccountToken` is true or unset (default true) on the pod and its service account in this file, so every container gets an API token; a compromised container can then call the Kubernetes API with the pod's permissions.",
		Remediation: "Set `automountServiceAccountToken: false` in the pod spec (or on its ServiceAccount) unless the workload talks to the API server.",
		References:  []string{"https://cwe.mitre.org/data/definitions/522.html", "CIS Kubernetes Benchmark 5.1.6"}},
	checks.Rule{ID: RuleDefaultNamespace, Title: "Workload in the default namespace", Severity: checks.SeverityLow,
		Description: "`metadata.namespace: default` puts the workload where RBAC, network policies and quotas are usually weakest and where everything else also lands by accident. Manifests without a namespace are not reported (tools such as kustomize set it).",
		Remediation: "Deploy into a dedicated namespace.",
		References:  []string{"CIS Kubernetes Benchmark 5.7.4"}},
)

// Rules documents the Kubernetes rules.
func Rules() []checks.Rule { return rules.Rules() }
