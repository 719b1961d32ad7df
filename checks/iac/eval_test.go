package iac_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/dockerfile"
	"github.com/wardenbot/warden/checks/iac/eol"
	"github.com/wardenbot/warden/checks/iac/kube"
	"github.com/wardenbot/warden/checks/iac/terraform"
)

// trivyMapping maps a trivy-checks check (its .yaml with good/bad examples,
// relative to the repository's checks/ directory) to the warden rule that
// covers the same misconfiguration.
var trivyMapping = map[string]string{
	"docker/latest_tag.yaml":                             dockerfile.RuleImageLatest,
	"docker/port22.yaml":                                 dockerfile.RuleExposeSSH,
	"docker/root_user.yaml":                              dockerfile.RuleRootUser,
	"docker/run_using_sudo.yaml":                         dockerfile.RuleSudo,
	"docker/yum_clean_all_missing.yaml":                  dockerfile.RulePackageCache,
	"docker/missing_dnf_clean_all.yaml":                  dockerfile.RulePackageCache,
	"kubernetes/privileged.yaml":                         kube.RulePrivileged,
	"kubernetes/can_elevate_its_own_privileges.yaml":     kube.RuleEscalation,
	"kubernetes/runs_as_root.yaml":                       kube.RuleRunAsRoot,
	"kubernetes/SYS_ADMIN_capability.yaml":               kube.RuleCapabilities,
	"kubernetes/host_ipc.yaml":                           kube.RuleHostNamespace,
	"kubernetes/host_network.yaml":                       kube.RuleHostNamespace,
	"kubernetes/host_pid.yaml":                           kube.RuleHostNamespace,
	"kubernetes/hostpath_volumes_mounted.yaml":           kube.RuleHostPath,
	"kubernetes/mounts_docker_socket.yaml":               kube.RuleHostPath,
	"kubernetes/memory_not_limited.yaml":                 kube.RuleLimits,
	"kubernetes/CPU_not_limited.yaml":                    kube.RuleLimits,
	"kubernetes/uses_image_tag_latest.yaml":              kube.RuleImageLatest,
	"kubernetes/file_system_not_read_only.yaml":          kube.RuleWritableRootFS,
	"cloud/aws/s3/no_public_access_with_acl.yaml":        terraform.RuleS3PublicACL,
	"cloud/aws/s3/enable_bucket_encryption.yaml":         terraform.RuleS3Encryption,
	"cloud/aws/s3/enable_versioning.yaml":                terraform.RuleS3Versioning,
	"cloud/aws/s3/specify_public_access_block.yaml":      terraform.RuleS3PublicBlock,
	"cloud/aws/s3/block_public_acls.yaml":                terraform.RuleS3PublicBlock,
	"cloud/aws/s3/block_public_policy.yaml":              terraform.RuleS3PublicBlock,
	"cloud/aws/s3/ignore_public_acls.yaml":               terraform.RuleS3PublicBlock,
	"cloud/aws/s3/no_public_buckets.yaml":                terraform.RuleS3PublicBlock,
	"cloud/aws/ec2/no_public_ingress_sgr.yaml":           terraform.RuleSGOpen,
	"cloud/aws/iam/no_policy_wildcards.yaml":             terraform.RuleIAMWildcard,
	"cloud/aws/rds/disable_public_access.yaml":           terraform.RuleRDSPublic,
	"cloud/aws/rds/encrypt_cluster_storage_data.yaml":    terraform.RuleRDSUnencrypted,
	"cloud/aws/rds/encrypt_instance_storage_data.yaml":   terraform.RuleRDSUnencrypted,
	"cloud/aws/ec2/enable_volume_encryption.yaml":        terraform.RuleEBSUnencrypted,
	"cloud/aws/cloudtrail/enable_log_validation.yaml":    terraform.RuleCloudTrailValidate,
	"cloud/google/storage/no_public_access.yaml":         terraform.RuleGCSPublic,
	"cloud/google/compute/no_public_ingress.yaml":        terraform.RuleGCPFirewallOpen,
	"cloud/google/compute/no_open_rdp_access.yaml":       terraform.RuleGCPFirewallOpen,
	"cloud/google/compute/restrict_ssh_access.yaml":      terraform.RuleGCPFirewallOpen,
	"cloud/google/sql/no_public_access.yaml":             terraform.RuleGCPSQLPublic,
	"cloud/azure/storage/enforce_https.yaml":             terraform.RuleAzureStorageHTTP,
	"cloud/azure/storage/no_public_access.yaml":          terraform.RuleAzureBlobPublic,
	"cloud/azure/network/disable_rdp_from_internet.yaml": terraform.RuleAzureNSGOpen,
	"cloud/azure/network/ssh_blocked_from_internet.yaml": terraform.RuleAzureNSGOpen,
}

// trivyOutOfScope lists examples whose verdict is about something the
// mapped warden rule deliberately does not judge. They are left out of the
// counts and listed with the reason; see testdata/EVAL.md.
var trivyOutOfScope = map[string]string{
	"cloud/aws/rds/encrypt_cluster_storage_data.yaml terraform bad[1]": "encrypted with the AWS-managed key; trivy also wants a customer-managed kms_key_id",
	"kubernetes/CPU_not_limited.yaml kubernetes good[0]":               "good for CPU only: it sets no memory limit, which warden's one limits rule also wants",
	"kubernetes/memory_not_limited.yaml kubernetes good[0]":            "good for memory only: it sets no CPU limit",
	"cloud/aws/s3/block_public_acls.yaml terraform good[0]":            "good for one public-access-block flag; warden wants all four",
	"cloud/aws/s3/block_public_policy.yaml terraform good[0]":          "good for one public-access-block flag; warden wants all four",
	"cloud/aws/s3/ignore_public_acls.yaml terraform good[0]":           "good for one public-access-block flag; warden wants all four",
	"cloud/aws/s3/no_public_buckets.yaml terraform good[0]":            "good for one public-access-block flag; warden wants all four",
	"cloud/aws/s3/specify_public_access_block.yaml terraform good[0]":  "good for the block's existence; it sets two of the four flags",
	"cloud/google/compute/no_public_ingress.yaml terraform bad[0]":     "opens only web ports to the world; warden reports admin ports and all ports",
}

type examples struct {
	Good []string `yaml:"good"`
	Bad  []string `yaml:"bad"`
}

type tally struct{ tp, fp, fn, tn int }

// TestEvalTrivyChecks measures recall and precision per rule on the good
// and bad examples of aquasecurity/trivy-checks. WARDEN_EVAL_IAC names a
// checkout of that repository; the test is skipped without it.
func TestEvalTrivyChecks(t *testing.T) {
	root := os.Getenv("WARDEN_EVAL_IAC")
	if root == "" {
		t.Skip("WARDEN_EVAL_IAC not set")
	}
	res := map[string]*tally{}
	var misses []string
	for rel, ruleID := range trivyMapping {
		data, err := os.ReadFile(filepath.Join(root, "checks", rel))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		var doc map[string]examples
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if res[ruleID] == nil {
			res[ruleID] = &tally{}
		}
		tl := res[ruleID]
		for format, ex := range doc {
			for i, src := range ex.Bad {
				if why, skip := trivyOutOfScope[fmt.Sprintf("%s %s bad[%d]", rel, format, i)]; skip {
					misses = append(misses, fmt.Sprintf("out of scope %s %s bad[%d]: %s", rel, format, i, why))
					continue
				}
				fired, ok := evalFires(format, src, ruleID)
				if !ok {
					continue
				}
				if fired {
					tl.tp++
				} else {
					tl.fn++
					misses = append(misses, fmt.Sprintf("FN %s %s bad[%d]", rel, format, i))
				}
			}
			for i, src := range ex.Good {
				if why, skip := trivyOutOfScope[fmt.Sprintf("%s %s good[%d]", rel, format, i)]; skip {
					misses = append(misses, fmt.Sprintf("out of scope %s %s good[%d]: %s", rel, format, i, why))
					continue
				}
				fired, ok := evalFires(format, src, ruleID)
				if !ok {
					continue
				}
				if fired {
					tl.fp++
					misses = append(misses, fmt.Sprintf("FP %s %s good[%d]", rel, format, i))
				} else {
					tl.tn++
				}
			}
		}
	}
	ids := make([]string, 0, len(res))
	for id := range res {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var sb strings.Builder
	sb.WriteString("| rule | bad examples | TP | FN | good examples | FP | recall | precision |\n|---|---|---|---|---|---|---|---|\n")
	var sum tally
	for _, id := range ids {
		r := res[id]
		sum.tp, sum.fp, sum.fn, sum.tn = sum.tp+r.tp, sum.fp+r.fp, sum.fn+r.fn, sum.tn+r.tn
		fmt.Fprintf(&sb, "| %s | %d | %d | %d | %d | %d | %s | %s |\n", id, r.tp+r.fn, r.tp, r.fn, r.fp+r.tn, r.fp, pct(r.tp, r.tp+r.fn), pct(r.tp, r.tp+r.fp))
	}
	fmt.Fprintf(&sb, "| **all** | %d | %d | %d | %d | %d | %s | %s |\n", sum.tp+sum.fn, sum.tp, sum.fn, sum.fp+sum.tn, sum.fp, pct(sum.tp, sum.tp+sum.fn), pct(sum.tp, sum.tp+sum.fp))
	sort.Strings(misses)
	t.Logf("\n%s\n%s", sb.String(), strings.Join(misses, "\n"))
}

func pct(n, d int) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(d))
}

// evalFires runs the scanner for an example's format; ok is false for
// formats warden does not read (CloudFormation, YAML-shaped ARM…).
func evalFires(format, src, ruleID string) (fired, ok bool) {
	ctx := context.Background()
	var fs []checks.Finding
	switch format {
	case "dockerfile":
		fs, _ = dockerfile.Scan(ctx, "Dockerfile", []byte(src), dockerfile.Options{EOL: eol.Default(), Now: evalDate})
	case "kubernetes":
		fs, _ = kube.Scan(ctx, "pod.yaml", []byte(src), kube.Options{EOL: eol.Default(), Now: evalDate})
	case "terraform":
		fs = terraform.ScanModule(ctx, []terraform.File{{Path: "main.tf", Content: []byte(src)}}, nil, terraform.Options{Now: evalDate}).Findings
	default:
		return false, false
	}
	for _, f := range fs {
		if f.RuleID == ruleID {
			return true, true
		}
	}
	return false, true
}
