package terraform

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks/iac/eol"
)

var now = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

func scan(t *testing.T, src string) map[string][]int {
	t.Helper()
	res := ScanModule(context.Background(), []File{{Path: "main.tf", Content: []byte(src)}}, nil, Options{EOL: eol.Default(), Now: now})
	if len(res.ParseErrors) > 0 || len(res.Unscanned) > 0 {
		t.Fatalf("parse: %v %v", res.ParseErrors, res.Unscanned)
	}
	got := map[string][]int{}
	for _, f := range res.Findings {
		got[f.RuleID] = append(got[f.RuleID], f.StartLine)
	}
	return got
}

func TestRules(t *testing.T) {
	cases := []struct {
		name, src, rule string
		line            int
	}{
		{"public acl", "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"\n  acl = \"public-read\"\n}\n", RuleS3PublicACL, 3},
		{"private acl", "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"\n  acl = \"private\"\n}\n", RuleS3PublicACL, 0},
		{"acl from unknown var", "variable \"acl\" {}\nresource \"aws_s3_bucket_acl\" \"a\" {\n  acl = var.acl\n}\n", RuleS3PublicACL, 0},
		{"public policy", "resource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = \"b\"\n  policy = jsonencode({Statement = [{Effect = \"Allow\", Principal = {AWS = \"*\"}, Action = \"s3:*\", Resource = \"*\"}]})\n}\n", RuleS3PublicPolicy, 3},
		{"conditioned policy", "resource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = \"b\"\n  policy = jsonencode({Statement = [{Effect = \"Allow\", Principal = \"*\", Action = \"s3:GetObject\", Resource = \"*\", Condition = {StringEquals = {\"aws:SourceVpce\" = \"vpce-1\"}}}]})\n}\n", RuleS3PublicPolicy, 0},
		{"sg ssh world", "resource \"aws_security_group_rule\" \"r\" {\n  type = \"ingress\"\n  from_port = 22\n  to_port = 22\n  protocol = \"tcp\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n}\n", RuleSGOpen, 6},
		{"sg ssh private", "resource \"aws_security_group_rule\" \"r\" {\n  type = \"ingress\"\n  from_port = 22\n  to_port = 22\n  protocol = \"tcp\"\n  cidr_blocks = [\"10.0.0.0/8\"]\n}\n", RuleSGOpen, 0},
		{"sg egress world", "resource \"aws_security_group_rule\" \"r\" {\n  type = \"egress\"\n  from_port = 0\n  to_port = 0\n  protocol = \"-1\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n}\n", RuleSGOpen, 0},
		{"vpc rule all ipv6", "resource \"aws_vpc_security_group_ingress_rule\" \"r\" {\n  cidr_ipv6 = \"::/0\"\n  ip_protocol = \"-1\"\n}\n", RuleSGOpen, 2},
		{"iam admin doc", "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions = [\"*\"]\n    resources = [\"*\"]\n  }\n}\n", RuleIAMWildcard, 3},
		{"iam scoped doc", "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions = [\"s3:GetObject\"]\n    resources = [\"*\"]\n  }\n}\n", RuleIAMWildcard, 0},
		{"rds public", "resource \"aws_db_instance\" \"d\" {\n  storage_encrypted = true\n  publicly_accessible = true\n}\n", RuleRDSPublic, 3},
		{"rds unencrypted", "resource \"aws_db_instance\" \"d\" {\n  engine = \"mysql\"\n}\n", RuleRDSUnencrypted, 1},
		{"rds replica", "resource \"aws_db_instance\" \"d\" {\n  replicate_source_db = \"x\"\n}\n", RuleRDSUnencrypted, 0},
		{"ebs default encryption", "resource \"aws_ebs_encryption_by_default\" \"e\" {\n  enabled = true\n}\nresource \"aws_ebs_volume\" \"v\" {\n  size = 1\n}\n", RuleEBSUnencrypted, 0},
		{"ebs explicit false", "resource \"aws_ebs_volume\" \"v\" {\n  size = 1\n  encrypted = false\n}\n", RuleEBSUnencrypted, 3},
		{"trail validation false", "resource \"aws_cloudtrail\" \"t\" {\n  enable_log_file_validation = false\n}\n", RuleCloudTrailValidate, 2},
		{"gcs allUsers binding", "resource \"google_storage_bucket_iam_binding\" \"b\" {\n  bucket = \"x\"\n  role = \"roles/storage.objectViewer\"\n  members = [\"user:a@example.com\", \"allUsers\"]\n}\n", RuleGCSPublic, 4},
		{"gcs user", "resource \"google_storage_bucket_iam_member\" \"b\" {\n  member = \"user:a@example.com\"\n}\n", RuleGCSPublic, 0},
		{"gcp fw all ports", "resource \"google_compute_firewall\" \"f\" {\n  source_ranges = [\"0.0.0.0/0\"]\n  allow {\n    protocol = \"tcp\"\n  }\n}\n", RuleGCPFirewallOpen, 2},
		{"gcp fw https", "resource \"google_compute_firewall\" \"f\" {\n  source_ranges = [\"0.0.0.0/0\"]\n  allow {\n    protocol = \"tcp\"\n    ports = [\"443\"]\n  }\n}\n", RuleGCPFirewallOpen, 0},
		{"gcp fw egress", "resource \"google_compute_firewall\" \"f\" {\n  direction = \"EGRESS\"\n  source_ranges = [\"0.0.0.0/0\"]\n  allow {\n    protocol = \"all\"\n  }\n}\n", RuleGCPFirewallOpen, 0},
		{"sql private", "resource \"google_sql_database_instance\" \"s\" {\n  settings {\n    ip_configuration {\n      ipv4_enabled = false\n      private_network = \"n\"\n    }\n  }\n}\n", RuleGCPSQLPublic, 0},
		{"azure http", "resource \"azurerm_storage_account\" \"s\" {\n  enable_https_traffic_only = false\n}\n", RuleAzureStorageHTTP, 2},
		{"azure container public", "resource \"azurerm_storage_container\" \"c\" {\n  container_access_type = \"blob\"\n}\n", RuleAzureBlobPublic, 2},
		{"azure container private", "resource \"azurerm_storage_container\" \"c\" {\n  container_access_type = \"private\"\n}\n", RuleAzureBlobPublic, 0},
		{"nsg ssh internet", "resource \"azurerm_network_security_rule\" \"r\" {\n  direction = \"Inbound\"\n  access = \"Allow\"\n  source_address_prefix = \"Internet\"\n  destination_port_range = \"20-30\"\n}\n", RuleAzureNSGOpen, 4},
		{"nsg deny", "resource \"azurerm_network_security_rule\" \"r\" {\n  direction = \"Inbound\"\n  access = \"Deny\"\n  source_address_prefix = \"*\"\n  destination_port_range = \"*\"\n}\n", RuleAzureNSGOpen, 0},
		{"lambda eol", "resource \"aws_lambda_function\" \"f\" {\n  runtime = \"python3.7\"\n}\n", eol.RuleID, 2},
		{"lambda ok", "resource \"aws_lambda_function\" \"f\" {\n  runtime = \"python3.13\"\n}\n", eol.RuleID, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := scan(t, c.src)[c.rule]
			switch {
			case c.line == 0 && len(lines) > 0:
				t.Errorf("%s fired at %v on the safe twin", c.rule, lines)
			case c.line > 0 && (len(lines) != 1 || lines[0] != c.line):
				t.Errorf("%s at lines %v, want exactly line %d", c.rule, lines, c.line)
			}
		})
	}
}

// A bucket configured by v4 resources in another file of the module is
// not reported, and findings land only in the files asked for.
func TestModuleAcrossFiles(t *testing.T) {
	files := []File{
		{Path: "m/main.tf", Content: []byte("resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n")},
		{Path: "m/extra.tf", Content: []byte("resource \"aws_s3_bucket_versioning\" \"b\" {\n  bucket = aws_s3_bucket.b.id\n  versioning_configuration {\n    status = \"Enabled\"\n  }\n}\nresource \"aws_ebs_volume\" \"v\" {\n  size = 1\n}\n")},
	}
	res := ScanModule(context.Background(), files, map[string]bool{"m/main.tf": true}, Options{Now: now})
	for _, f := range res.Findings {
		if f.RuleID == RuleS3Versioning || f.Path != "m/main.tf" {
			t.Errorf("unexpected %s at %s:%d", f.RuleID, f.Path, f.StartLine)
		}
	}
}

func TestCloudTrailFix(t *testing.T) {
	src := "resource \"aws_cloudtrail\" \"t\" {\n  name = \"t\"\n}\n"
	fs := ScanModule(context.Background(), []File{{Path: "a.tf", Content: []byte(src)}}, nil, Options{Now: now}).Findings
	if len(fs) != 1 || fs[0].Fix == nil || fs[0].Fix.Replacement != "resource \"aws_cloudtrail\" \"t\" {\n  enable_log_file_validation = true" {
		t.Fatalf("findings = %+v", fs)
	}
}

func FuzzTerraform(f *testing.F) {
	f.Add([]byte("resource \"aws_s3_bucket\" \"b\" {\n  acl = \"public-read\"\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		res := ScanModule(context.Background(), []File{{Path: "f.tf", Content: src}}, nil, Options{EOL: eol.Default(), Now: now})
		for _, fd := range res.Findings {
			if err := fd.Validate(); err != nil {
				t.Fatal(err)
			}
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, over := range res.Unscanned {
			if over.Path != "f.tf" || over.What == "" || over.Line < 0 || over.Line > lines {
				t.Fatalf("a budget stop must name the file and the line: %+v", over)
			}
			// Nesting deeper than the limit takes more tokens than that.
			if !over.Partial && len(src) <= MaxNesting && strings.Contains(over.What, "nesting") {
				t.Fatalf("%d bytes cannot nest %d levels, yet: %v", len(src), MaxNesting, over)
			}
		}
	})
}
