package terraform

import (
	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/internal/rule"
)

// Rule IDs of the Terraform rules.
const (
	RuleS3PublicACL        = "iac/tf-s3-public-acl"
	RuleS3PublicPolicy     = "iac/tf-s3-public-policy"
	RuleS3Encryption       = "iac/tf-s3-no-encryption"
	RuleS3Versioning       = "iac/tf-s3-no-versioning"
	RuleS3PublicBlock      = "iac/tf-s3-no-public-access-block"
	RuleSGOpen             = "iac/tf-sg-open-to-world"
	RuleIAMWildcard        = "iac/tf-iam-wildcard-policy"
	RuleRDSPublic          = "iac/tf-rds-public"
	RuleRDSUnencrypted     = "iac/tf-rds-unencrypted"
	RuleEBSUnencrypted     = "iac/tf-ebs-unencrypted"
	RuleCloudTrailValidate = "iac/tf-cloudtrail-no-log-validation"
	RuleGCSPublic          = "iac/tf-gcs-public-bucket"
	RuleGCPFirewallOpen    = "iac/tf-gcp-firewall-open-to-world"
	RuleGCPSQLPublic       = "iac/tf-gcp-sql-public"
	RuleAzureStorageHTTP   = "iac/tf-azure-storage-http"
	RuleAzureBlobPublic    = "iac/tf-azure-storage-public"
	RuleAzureNSGOpen       = "iac/tf-azure-nsg-open-to-world"
)

var rules = rule.NewSet(
	checks.Rule{ID: RuleS3PublicACL, Title: "S3 bucket with a public ACL", Severity: checks.SeverityHigh,
		Description: "The bucket (or its aws_s3_bucket_acl) uses a canned ACL such as public-read, public-read-write or authenticated-read, or grants to the AllUsers/AuthenticatedUsers groups: anyone on the internet (or any AWS account) can list or read, and with write even replace, its objects.",
		Remediation: "Use the private ACL (or BucketOwnerEnforced object ownership) and serve public content through CloudFront with origin access control.",
		References:  []string{"https://cwe.mitre.org/data/definitions/732.html", "CIS AWS Foundations Benchmark 2.1.4", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl"}},
	checks.Rule{ID: RuleS3PublicPolicy, Title: "S3 bucket policy allows everyone", Severity: checks.SeverityHigh,
		Description: "A bucket policy statement allows Principal \"*\" without any Condition, so the granted actions are open to anyone on the internet.",
		Remediation: "Name the principals that need access, or add conditions (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceArn); keep the public access block on.",
		References:  []string{"https://cwe.mitre.org/data/definitions/284.html", "CIS AWS Foundations Benchmark 2.1.4"}},
	checks.Rule{ID: RuleS3Encryption, Title: "S3 bucket without explicit encryption configuration", Severity: checks.SeverityLow,
		Description: "Neither the bucket nor an aws_s3_bucket_server_side_encryption_configuration in the module configures default encryption. S3 has applied SSE-S3 to new objects since January 2023, hence low; configure SSE-KMS when key policies and audit of key use matter.",
		Remediation: "Add an aws_s3_bucket_server_side_encryption_configuration for the bucket (sse_algorithm aws:kms with a customer managed key where required).",
		References:  []string{"https://cwe.mitre.org/data/definitions/311.html", "CIS AWS Foundations Benchmark 2.1.1"}},
	checks.Rule{ID: RuleS3Versioning, Title: "S3 bucket without versioning", Severity: checks.SeverityLow,
		Description: "Versioning is not enabled on the bucket (inline or with aws_s3_bucket_versioning), so an overwritten or deleted object, e.g. by ransomware with stolen credentials, cannot be recovered.",
		Remediation: "Add an aws_s3_bucket_versioning resource with status = \"Enabled\" (and consider MFA delete).",
		References:  []string{"https://cwe.mitre.org/data/definitions/693.html", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html"}},
	checks.Rule{ID: RuleS3PublicBlock, Title: "S3 bucket without a full public access block", Severity: checks.SeverityMedium,
		Description: "No aws_s3_bucket_public_access_block in the module covers the bucket, or one of block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets is false: a later ACL or policy change can make the bucket public.",
		Remediation: "Add aws_s3_bucket_public_access_block for the bucket with all four settings true (or rely on an account-level block and say so).",
		References:  []string{"https://cwe.mitre.org/data/definitions/284.html", "CIS AWS Foundations Benchmark 2.1.4"}},
	checks.Rule{ID: RuleSGOpen, Title: "Security group open to the internet on an admin or all ports", Severity: checks.SeverityHigh,
		Description: "An ingress rule allows 0.0.0.0/0 or ::/0 to SSH, RDP, a database port or all ports. These services are scanned and brute-forced continuously. Web ports (80, 443) open to the world are not reported.",
		Remediation: "Restrict the CIDR to known networks, use a bastion, SSM Session Manager or a VPN for admin access, and keep databases in private subnets.",
		References:  []string{"https://cwe.mitre.org/data/definitions/284.html", "CIS AWS Foundations Benchmark 5.2", "CIS AWS Foundations Benchmark 5.3"}},
	checks.Rule{ID: RuleIAMWildcard, Title: "IAM policy allows every action (of a service) on every resource", Severity: checks.SeverityHigh,
		Description: "A statement with Effect Allow grants Action \"*\" on Resource \"*\" (in jsonencode, a heredoc JSON document or an aws_iam_policy_document): full administrator rights for whoever holds the policy. " +
			"A whole service on every resource (\"s3:*\" on \"*\": every bucket, including deleting them and rewriting their policies) is reported as medium, and as high for iam:*, sts:* and organizations:*, which let the holder grant itself everything else.",
		Remediation: "Grant only the actions and resources the principal uses; start from IAM Access Analyzer's generated policy.",
		References:  []string{"https://cwe.mitre.org/data/definitions/250.html", "CIS AWS Foundations Benchmark 1.16"}},
	checks.Rule{ID: RuleRDSPublic, Title: "Database instance publicly accessible", Severity: checks.SeverityHigh,
		Description: "publicly_accessible = true gives the RDS instance a public DNS name and IP; only security groups stand between the database and the internet.",
		Remediation: "Set publicly_accessible = false and reach the database from inside the VPC.",
		References:  []string{"https://cwe.mitre.org/data/definitions/284.html", "CIS AWS Foundations Benchmark 2.3.3"}},
	checks.Rule{ID: RuleRDSUnencrypted, Title: "Database storage not encrypted", Severity: checks.SeverityMedium,
		Description: "storage_encrypted is false or unset (default false) on an RDS instance or Aurora cluster, so its storage, snapshots and replicas are unencrypted at rest.",
		Remediation: "Set storage_encrypted = true (with kms_key_id for a customer managed key). Existing databases must be restored from an encrypted snapshot copy.",
		References:  []string{"https://cwe.mitre.org/data/definitions/311.html", "CIS AWS Foundations Benchmark 2.3.1"}},
	checks.Rule{ID: RuleEBSUnencrypted, Title: "EBS volume not encrypted", Severity: checks.SeverityMedium,
		Description: "An EBS volume or block device is created with encryption false or unset and the module does not enable EBS encryption by default, so the data and its snapshots are unencrypted at rest.",
		Remediation: "Set encrypted = true (and kms_key_id), or enable aws_ebs_encryption_by_default for the account and region.",
		References:  []string{"https://cwe.mitre.org/data/definitions/311.html", "CIS AWS Foundations Benchmark 2.2.1"}},
	checks.Rule{ID: RuleCloudTrailValidate, Title: "CloudTrail log file validation disabled", Severity: checks.SeverityMedium,
		Description: "enable_log_file_validation is false or unset, so tampering with or deleting delivered CloudTrail logs cannot be detected: an intruder can cover their tracks.",
		Remediation: "Set enable_log_file_validation = true.",
		References:  []string{"https://cwe.mitre.org/data/definitions/354.html", "CIS AWS Foundations Benchmark 3.2"}},
	checks.Rule{ID: RuleGCSPublic, Title: "Cloud Storage bucket readable by allUsers", Severity: checks.SeverityHigh,
		Description: "An IAM member/binding or ACL grants allUsers or allAuthenticatedUsers access to a Cloud Storage bucket, making its objects public.",
		Remediation: "Grant roles to specific principals only and enforce public access prevention on the bucket.",
		References:  []string{"https://cwe.mitre.org/data/definitions/284.html", "CIS Google Cloud Platform Foundation Benchmark 5.1"}},
	checks.Rule{ID: RuleGCPFirewallOpen, Title: "GCP firewall open to the internet on SSH/RDP or all ports", Severity: checks.SeverityHigh,
		Description: "An ingress google_compute_firewall rule allows 0.0.0.0/0 (or ::/0) to port 22, 3389 or all ports.",
		Remediation: "Limit source_ranges to known networks, or use Identity-Aware Proxy TCP forwarding (35.235.240.0/20) for admin access.",
		References:  []string{"https://cwe.mitre.org/data/definitions/284.html", "CIS Google Cloud Platform Foundation Benchmark 3.6", "CIS Google Cloud Platform Foundation Benchmark 3.7"}},
	checks.Rule{ID: RuleGCPSQLPublic, Title: "Cloud SQL instance reachable from the internet", Severity: checks.SeverityHigh,
		Description: "The instance has a public IPv4 address and its authorized networks include 0.0.0.0/0, or it has a public IP with neither authorized networks nor a private network, relying on the public endpoint alone. " +
			"An instance with ipv4_enabled = false that still authorizes 0.0.0.0/0 is reported as low: it is one flag away from being open.",
		Remediation: "Use private IP (ip_configuration.private_network) with ipv4_enabled = false, or authorize only specific networks; connect through the Cloud SQL Auth Proxy.",
		References:  []string{"https://cwe.mitre.org/data/definitions/284.html", "CIS Google Cloud Platform Foundation Benchmark 6.5", "CIS Google Cloud Platform Foundation Benchmark 6.6"}},
	checks.Rule{ID: RuleAzureStorageHTTP, Title: "Azure storage account accepts plain HTTP", Severity: checks.SeverityMedium,
		Description: "https_traffic_only_enabled (enable_https_traffic_only before provider v4) is false, so data and shared-key signatures can travel unencrypted.",
		Remediation: "Set https_traffic_only_enabled = true (the default) and min_tls_version = \"TLS1_2\".",
		References:  []string{"https://cwe.mitre.org/data/definitions/319.html", "CIS Microsoft Azure Foundations Benchmark 3.1"}},
	checks.Rule{ID: RuleAzureBlobPublic, Title: "Azure blob storage allows public access", Severity: checks.SeverityHigh,
		Description: "The storage account allows public blob access (allow_nested_items_to_be_public / allow_blob_public_access = true) or a container's access type is blob or container, so its blobs can be read anonymously.",
		Remediation: "Set allow_nested_items_to_be_public = false on the account and container_access_type = \"private\"; share with SAS tokens or Entra ID.",
		References:  []string{"https://cwe.mitre.org/data/definitions/284.html", "CIS Microsoft Azure Foundations Benchmark 3.7"}},
	checks.Rule{ID: RuleAzureNSGOpen, Title: "Azure NSG open to the internet on SSH/RDP or all ports", Severity: checks.SeverityHigh,
		Description: "An inbound Allow rule of a network security group has source *, 0.0.0.0/0, Internet or Any and covers port 22, 3389 or all ports.",
		Remediation: "Restrict source_address_prefix to known ranges, or use Azure Bastion / just-in-time VM access.",
		References:  []string{"https://cwe.mitre.org/data/definitions/284.html", "CIS Microsoft Azure Foundations Benchmark 6.1", "CIS Microsoft Azure Foundations Benchmark 6.2"}},
)

// Rules documents the Terraform rules.
func Rules() []checks.Rule { return rules.Rules() }
