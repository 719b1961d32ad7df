package dockerfile

import (
	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/internal/rule"
)

// Rule IDs of the Dockerfile rules.
const (
	RuleRootUser       = "iac/docker-root-user"
	RuleImageLatest    = "iac/docker-image-latest"
	RuleImageDigest    = "iac/docker-image-not-pinned"
	RuleCurlPipeShell  = "iac/docker-curl-pipe-shell"
	RuleAddRemote      = "iac/docker-add-remote-url"
	RuleSecretEnv      = "iac/docker-secret-in-env"
	RuleSudo           = "iac/docker-sudo"
	RuleChmodWorld     = "iac/docker-chmod-world-writable"
	RuleExposeSSH      = "iac/docker-expose-ssh"
	RulePackagePinning = "iac/docker-package-unpinned"
	RulePackageCache   = "iac/docker-package-cache"
)

var rules = rule.NewSet(
	checks.Rule{
		ID: RuleRootUser, Title: "Container runs as root", Severity: checks.SeverityMedium,
		Description: "The final stage of the Dockerfile has no USER instruction, or its last USER is root, so the container's process runs as UID 0. " +
			"A compromise of the application then starts with root inside the container, which makes container escapes and tampering with mounted volumes far easier. " +
			"Medium: exploitation needs another flaw first, but this removes a layer of defence for every image built from this file.",
		Remediation: "Add `USER <non-root user or UID>` to the final stage after the steps that need root, e.g. `USER 65532:65532`, and make the files the process writes owned by that user.",
		References:  []string{"https://cwe.mitre.org/data/definitions/250.html", "CIS Docker Benchmark 4.1", "https://docs.docker.com/reference/dockerfile/#user"},
	},
	checks.Rule{
		ID: RuleImageLatest, Title: "Base image uses the latest tag or no tag", Severity: checks.SeverityMedium,
		Description: "`FROM image` without a tag, or with `:latest`, builds on whatever the registry serves that day. Builds are not reproducible and a compromised or breaking upstream release is pulled in silently.",
		Remediation: "Pin the base image to a specific version tag (e.g. `node:22.11-bookworm-slim`), ideally with its digest.",
		References:  []string{"https://cwe.mitre.org/data/definitions/1357.html", "CIS Docker Benchmark 4.2", "https://docs.docker.com/build/building/best-practices/#from"},
	},
	checks.Rule{
		ID: RuleImageDigest, Title: "Base image not pinned by digest", Severity: checks.SeverityLow,
		Description: "A tag can be moved to a different image at any time by whoever controls the repository. Only a `@sha256:` digest guarantees the build uses the image that was reviewed. Low: tags of official images are rarely re-pointed maliciously, but supply-chain hardening (SLSA) expects digests.",
		Remediation: "Append the digest of the tested image: `FROM image:tag@sha256:<digest>`, and let a bot (Dependabot, Renovate) update it.",
		References:  []string{"https://cwe.mitre.org/data/definitions/494.html", "https://docs.docker.com/reference/dockerfile/#from", "https://slsa.dev/spec/v1.0/requirements"},
	},
	checks.Rule{
		ID: RuleCurlPipeShell, Title: "Remote script piped into a shell", Severity: checks.SeverityHigh,
		Description: "A RUN step downloads a script with curl or wget and executes it immediately (`curl … | sh`, `sh -c \"$(curl …)\"`). Nothing checks what was downloaded: a compromised server, DNS or mirror runs arbitrary code in the build and ships it in the image.",
		Remediation: "Download to a file, verify its checksum or signature (`echo \"<sha256>  install.sh\" | sha256sum -c`), then run it; or install from a package manager with signed packages.",
		References:  []string{"https://cwe.mitre.org/data/definitions/494.html", "https://cwe.mitre.org/data/definitions/829.html"},
	},
	checks.Rule{
		ID: RuleAddRemote, Title: "ADD fetches a remote URL without a checksum", Severity: checks.SeverityMedium,
		Description: "`ADD https://…` downloads at build time with no integrity check, so a changed or compromised file ends up in the image unnoticed.",
		Remediation: "Add `--checksum=sha256:<digest>` to the ADD instruction, or download with curl in a RUN step and verify the checksum before use.",
		References:  []string{"https://cwe.mitre.org/data/definitions/494.html", "CIS Docker Benchmark 4.9", "https://docs.docker.com/reference/dockerfile/#add---checksum"},
	},
	checks.Rule{
		ID: RuleSecretEnv, Title: "Secret in ENV or ARG", Severity: checks.SeverityHigh,
		Description: "An ENV or ARG whose name says it holds a credential (`*_PASSWORD`, `*_TOKEN`, `*_SECRET`, `*_KEY`) is given a literal value. ENV values are stored in the image configuration and ARG values in its history: anyone who can pull the image can read them.",
		Remediation: "Remove the value and rotate the credential. Pass secrets at build time with `RUN --mount=type=secret,id=…` and at run time through the orchestrator's secret store.",
		References:  []string{"https://cwe.mitre.org/data/definitions/798.html", "CIS Docker Benchmark 4.10", "https://docs.docker.com/build/building/secrets/"},
	},
	checks.Rule{
		ID: RuleSudo, Title: "sudo used in a RUN step", Severity: checks.SeverityMedium,
		Description: "Build steps already run as the current USER; `sudo` in a Dockerfile means sudo is installed and configured in the image, which gives any process that compromises the unprivileged user a path to root.",
		Remediation: "Switch with `USER root` for the steps that need it and back to the unprivileged user afterwards; do not install sudo in the image.",
		References:  []string{"https://cwe.mitre.org/data/definitions/250.html", "https://github.com/hadolint/hadolint/wiki/DL3004"},
	},
	checks.Rule{
		ID: RuleChmodWorld, Title: "World-writable permissions", Severity: checks.SeverityMedium,
		Description: "`chmod 777` (or any mode granting write to others, or `--chmod` with one on COPY/ADD) lets every user in the container modify those files, including replacing binaries or scripts that root later executes. Modes with the sticky bit (`1777`, as for /tmp) are not reported.",
		Remediation: "Give ownership to the user that needs to write (`chown`, `COPY --chown`) and use restrictive modes such as 755 for directories and 644 for files.",
		References:  []string{"https://cwe.mitre.org/data/definitions/732.html"},
	},
	checks.Rule{
		ID: RuleExposeSSH, Title: "SSH port exposed", Severity: checks.SeverityLow,
		Description: "`EXPOSE 22` suggests the image runs an SSH server, which adds a long-lived credential and an attack surface to every container. Low: EXPOSE itself publishes nothing.",
		Remediation: "Do not run sshd in containers; use `docker exec`/`kubectl exec` for debugging and remove the EXPOSE.",
		References:  []string{"https://cwe.mitre.org/data/definitions/284.html", "CIS Docker Benchmark 5.6"},
	},
	checks.Rule{
		ID: RulePackagePinning, Title: "OS or pip packages installed without versions", Severity: checks.SeverityLow,
		Description: "`apt-get install`, `apk add`, `yum/dnf install` or `pip install` without version pins installs whatever the mirror has at build time, so two builds of the same commit can differ and a compromised or broken package version is pulled silently.",
		Remediation: "Pin versions (`apt-get install curl=8.5.0-2`, `apk add curl=8.5.0-r0`, `pip install requests==2.32.3` or a hashed requirements file).",
		References:  []string{"https://cwe.mitre.org/data/definitions/1357.html", "https://github.com/hadolint/hadolint/wiki/DL3008", "https://github.com/hadolint/hadolint/wiki/DL3013"},
	},
	checks.Rule{
		ID: RulePackageCache, Title: "Package manager cache left in the final image", Severity: checks.SeverityLow,
		Description: "The final stage installs packages but keeps the package index or download cache (no `rm -rf /var/lib/apt/lists/*`, no `apk --no-cache`, no `yum clean all`, no `pip --no-cache-dir`). It bloats the image and ships stale metadata. Only the final stage and the stages it builds on are checked, since other stages' caches are not shipped.",
		Remediation: "Clean up in the same RUN step (`&& rm -rf /var/lib/apt/lists/*`), use `apk add --no-cache`, `pip install --no-cache-dir`, or a BuildKit cache mount.",
		References:  []string{"https://docs.docker.com/build/building/best-practices/#apt-get", "https://github.com/hadolint/hadolint/wiki/DL3009"},
	},
)

// Rules documents the Dockerfile rules.
func Rules() []checks.Rule { return rules.Rules() }
