package terraform

import (
	"context"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/eol"
)

// Cases for the gaps found with trivy-checks' examples (see
// checks/iac/testdata/EVAL.md): each change has a true positive and a trap.
func TestEvalGaps(t *testing.T) {
	const bucket = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"logs-bucket\"\n}\n"
	const sse = "\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = \"aws:kms\"\n    }\n  }\n}\n"
	cases := []struct {
		name, src, rule string
		line            int
		sev             checks.Severity
	}{
		{"sse config with an empty rule", bucket + "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"e\" {\n  bucket = aws_s3_bucket.b.id\n  rule {}\n}\n", RuleS3Encryption, 4, 0},
		{"sse config by .id (trap)", bucket + "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"e\" {\n  bucket = aws_s3_bucket.b.id" + sse, RuleS3Encryption, 0, 0},
		{"sse config by .bucket (trap)", bucket + "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"e\" {\n  bucket = aws_s3_bucket.b.bucket" + sse, RuleS3Encryption, 0, 0},
		{"sse config by the same literal (trap)", bucket + "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"e\" {\n  bucket = \"logs-bucket\"" + sse, RuleS3Encryption, 0, 0},
		{"sse config for another bucket", bucket + "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"e\" {\n  bucket = \"other-bucket\"" + sse, RuleS3Encryption, 1, 0},
		{"inline sse with an empty rule", "resource \"aws_s3_bucket\" \"b\" {\n  server_side_encryption_configuration {\n    rule {}\n  }\n}\n", RuleS3Encryption, 2, 0},
		{"s3:* on every resource", "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions = [\"s3:*\"]\n    resources = [\"*\"]\n  }\n}\n", RuleIAMWildcard, 3, checks.SeverityMedium},
		{"iam:* on every resource", "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({Statement = [{Effect = \"Allow\", Action = \"iam:*\", Resource = \"*\"}]})\n}\n", RuleIAMWildcard, 2, checks.SeverityHigh},
		{"s3:* on one bucket (trap)", "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions = [\"s3:*\"]\n    resources = [\"arn:aws:s3:::logs\", \"arn:aws:s3:::logs/*\"]\n  }\n}\n", RuleIAMWildcard, 0, 0},
		{"s3:Get* on every resource (trap)", "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions = [\"s3:Get*\"]\n    resources = [\"*\"]\n  }\n}\n", RuleIAMWildcard, 0, 0},
		{"deny s3:* (trap)", "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    effect = \"Deny\"\n    actions = [\"s3:*\"]\n    resources = [\"*\"]\n  }\n}\n", RuleIAMWildcard, 0, 0},
		{"sql world network, public ip off", "resource \"google_sql_database_instance\" \"s\" {\n  settings {\n    ip_configuration {\n      ipv4_enabled = false\n      authorized_networks {\n        value = \"0.0.0.0/0\"\n      }\n    }\n  }\n}\n", RuleGCPSQLPublic, 6, checks.SeverityLow},
		{"sql world network, public ip on", "resource \"google_sql_database_instance\" \"s\" {\n  settings {\n    ip_configuration {\n      ipv4_enabled = true\n      authorized_networks {\n        value = \"0.0.0.0/0\"\n      }\n    }\n  }\n}\n", RuleGCPSQLPublic, 6, checks.SeverityHigh},
		{"sql office network, public ip off (trap)", "resource \"google_sql_database_instance\" \"s\" {\n  settings {\n    ip_configuration {\n      ipv4_enabled = false\n      private_network = \"n\"\n      authorized_networks {\n        value = \"203.0.113.0/24\"\n      }\n    }\n  }\n}\n", RuleGCPSQLPublic, 0, 0},
		{"aurora cluster without storage_encrypted", "resource \"aws_rds_cluster\" \"c\" {\n  engine = \"aurora-postgresql\"\n}\n", RuleRDSUnencrypted, 1, 0},
		{"aurora cluster encrypted with the AWS key (trap)", "resource \"aws_rds_cluster\" \"c\" {\n  engine = \"aurora-postgresql\"\n  storage_encrypted = true\n}\n", RuleRDSUnencrypted, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := ScanModule(context.Background(), []File{{Path: "main.tf", Content: []byte(tc.src)}}, nil, Options{EOL: eol.Default(), Now: now})
			if len(res.ParseErrors) > 0 || len(res.Unscanned) > 0 {
				t.Fatalf("parse: %v %v", res.ParseErrors, res.Unscanned)
			}
			var got []checks.Finding
			for _, f := range res.Findings {
				if f.RuleID == tc.rule {
					got = append(got, f)
				}
			}
			if tc.line == 0 {
				if len(got) != 0 {
					t.Fatalf("want no %s finding, got line %d: %s", tc.rule, got[0].StartLine, got[0].Message)
				}
				return
			}
			if len(got) != 1 || got[0].StartLine != tc.line {
				t.Fatalf("want one %s finding at line %d, got %+v", tc.rule, tc.line, got)
			}
			if tc.sev != 0 && got[0].Severity != tc.sev {
				t.Errorf("severity %s, want %s", got[0].Severity, tc.sev)
			}
		})
	}
}
