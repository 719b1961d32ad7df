package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/eol"
)

// check runs the rules for one resource.
func (m *module) check(r *resource) {
	b := r.block.Body
	switch r.typ {
	case "aws_s3_bucket":
		m.s3Bucket(r)
	case "aws_s3_bucket_acl":
		m.s3ACL(r, m.attr(b, "acl"))
	case "aws_s3_bucket_policy":
		m.publicPolicy(r, m.attr(b, "policy"))
	case "aws_s3_bucket_public_access_block":
		m.publicAccessBlockSettings(r)
	case "aws_security_group":
		for _, in := range blocks(b, "ingress") {
			m.sgIngress(r, in.Body, "cidr_blocks", "ipv6_cidr_blocks", "protocol")
		}
	case "aws_security_group_rule":
		if t, _ := str(m.attr(b, "type").val); t == "ingress" {
			m.sgIngress(r, b, "cidr_blocks", "ipv6_cidr_blocks", "protocol")
		}
	case "aws_vpc_security_group_ingress_rule":
		m.sgIngress(r, b, "cidr_ipv4", "cidr_ipv6", "ip_protocol")
	case "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy":
		m.adminPolicy(r, m.attr(b, "policy"))
	case "aws_iam_role":
		for _, ip := range blocks(b, "inline_policy") {
			m.adminPolicy(r, m.attr(ip.Body, "policy"))
		}
	case "data.aws_iam_policy_document":
		m.policyDocument(r)
	case "aws_db_instance", "aws_rds_cluster_instance":
		m.rdsPublic(r)
		if r.typ == "aws_db_instance" {
			m.rdsEncryption(r)
		}
	case "aws_rds_cluster":
		m.rdsEncryption(r)
	case "aws_ebs_volume":
		m.ebsVolume(r)
	case "aws_instance":
		for _, kind := range []string{"root_block_device", "ebs_block_device"} {
			for _, bd := range blocks(b, kind) {
				m.explicitUnencrypted(r, bd.Body, kind)
			}
		}
	case "aws_launch_template":
		for _, bdm := range blocks(b, "block_device_mappings") {
			for _, ebs := range blocks(bdm.Body, "ebs") {
				m.explicitUnencrypted(r, ebs.Body, "block_device_mappings.ebs")
			}
		}
	case "aws_cloudtrail":
		m.cloudTrail(r)
	case "aws_lambda_function":
		m.lambdaRuntime(r)
	default:
		m.checkOtherClouds(r)
	}
}

var publicACLs = map[string]bool{"public-read": true, "public-read-write": true, "authenticated-read": true, "website": true}

func (m *module) s3ACL(r *resource, acl attr) {
	if s, ok := str(acl.val); ok && publicACLs[s] {
		m.add(RuleS3PublicACL, r, acl.line(), 0, "acl", nil, "%s uses the %s canned ACL.", describe(r), s)
	}
	for _, acp := range blocks(r.block.Body, "access_control_policy") {
		for _, g := range blocks(acp.Body, "grant") {
			m.publicGrant(r, g)
		}
	}
}

func (m *module) publicGrant(r *resource, g *hclsyntax.Block) {
	for _, gr := range append([]*hclsyntax.Block{g}, blocks(g.Body, "grantee")...) {
		uri := m.attr(gr.Body, "uri")
		if s, ok := str(uri.val); ok && (strings.HasSuffix(s, "/global/AllUsers") || strings.HasSuffix(s, "/global/AuthenticatedUsers")) {
			m.add(RuleS3PublicACL, r, uri.line(), 0, "grant:"+s, nil, "%s grants access to the %s group.", describe(r), s[strings.LastIndex(s, "/")+1:])
		}
	}
}

func (m *module) s3Bucket(r *resource) {
	b := r.block.Body
	m.s3ACL(r, m.attr(b, "acl"))
	for _, g := range blocks(b, "grant") {
		m.publicGrant(r, g)
	}
	if p := m.attr(b, "policy"); p.present() {
		m.publicPolicy(r, p)
	}
	bucketName, _ := str(m.attr(b, "bucket").val)
	refersHere := func(other *resource) bool {
		return references(m.attr(other.block.Body, "bucket"), "aws_s3_bucket", r.name, bucketName)
	}

	if inline := block(b, "server_side_encryption_configuration"); inline != nil {
		if !sseDefault(inline.Body) {
			m.add(RuleS3Encryption, r, inline.Range().Start.Line, 0, "encryption", nil, "%s has a server_side_encryption_configuration without apply_server_side_encryption_by_default.", describe(r))
		}
	} else {
		var empty *resource
		configured := m.anyResource("aws_s3_bucket_server_side_encryption_configuration", func(o *resource) bool {
			if !refersHere(o) {
				return false
			}
			if !sseDefault(o.block.Body) {
				empty = o
				return false
			}
			return true
		})
		switch {
		case configured:
		case empty != nil:
			m.add(RuleS3Encryption, empty, empty.line(), 0, "encryption", nil, "%s configures no apply_server_side_encryption_by_default for bucket %s.", describe(empty), r.name)
		default:
			m.add(RuleS3Encryption, r, r.line(), 0, "encryption", nil, "%s has no default encryption configuration in this module.", describe(r))
		}
	}

	if v := block(b, "versioning"); v != nil {
		if en := m.attr(v.Body, "enabled"); en.present() {
			if on, known := boolean(en.val); known && !on {
				m.add(RuleS3Versioning, r, en.line(), 0, "versioning", nil, "%s disables versioning.", describe(r))
			}
		}
	} else if !m.anyResource("aws_s3_bucket_versioning", func(o *resource) bool {
		if !refersHere(o) {
			return false
		}
		st, known := str(m.attr(body(block(o.block.Body, "versioning_configuration")), "status").val)
		if known && st != "Enabled" {
			m.add(RuleS3Versioning, o, m.attr(body(block(o.block.Body, "versioning_configuration")), "status").line(), 0, "versioning", nil,
				"%s sets versioning status %s for bucket %s.", describe(o), st, r.name)
		}
		return true
	}) {
		m.add(RuleS3Versioning, r, r.line(), 0, "versioning", nil, "%s has no versioning in this module.", describe(r))
	}

	if !m.anyResource("aws_s3_bucket_public_access_block", refersHere) {
		m.add(RuleS3PublicBlock, r, r.line(), 0, "public-access-block", nil, "%s has no aws_s3_bucket_public_access_block in this module.", describe(r))
	}
}

// sseDefault reports whether an encryption configuration has a rule that
// sets a default algorithm; an empty rule {} encrypts nothing.
func sseDefault(b *hclsyntax.Body) bool {
	for _, rl := range blocks(b, "rule") {
		if block(rl.Body, "apply_server_side_encryption_by_default") != nil {
			return true
		}
	}
	return false
}

// anyResource reports whether a resource of typ in the module satisfies ok.
func (m *module) anyResource(typ string, ok func(*resource) bool) bool {
	for _, o := range m.resources[typ] {
		if ok(o) {
			return true
		}
	}
	return false
}

func (m *module) publicAccessBlockSettings(r *resource) {
	for _, name := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
		a := m.attr(r.block.Body, name)
		if !a.present() {
			m.add(RuleS3PublicBlock, r, r.line(), 0, name, nil, "%s leaves %s unset (false).", describe(r), name)
			continue
		}
		if v, known := boolean(a.val); known && !v {
			m.add(RuleS3PublicBlock, r, a.line(), 0, name, m.replaceAttr(r, a, "true"), "%s sets %s = false.", describe(r), name)
		}
	}
}

func (m *module) publicPolicy(r *resource, p attr) {
	for _, s := range statements(m.policyDoc(p)) {
		if s.isPublic() {
			m.add(RuleS3PublicPolicy, r, p.line(), 0, "policy", nil, "%s has a statement allowing Principal \"*\" without conditions.", describe(r))
			return
		}
	}
}

func (m *module) adminPolicy(r *resource, p attr) {
	for _, s := range statements(m.policyDoc(p)) {
		if s.isAdmin() {
			m.add(RuleIAMWildcard, r, p.line(), 0, "policy", nil, "%s allows Action \"*\" on Resource \"*\".", describe(r))
			return
		}
	}
	for _, s := range statements(m.policyDoc(p)) {
		if svc, sev, ok := s.serviceWildcard(); ok {
			m.add(RuleIAMWildcard, r, p.line(), sev, "policy", nil, "%s allows every %s action (\"%s:*\") on Resource \"*\".", describe(r), svc, svc)
			return
		}
	}
}

func (m *module) policyDocument(r *resource) {
	for _, st := range blocks(r.block.Body, "statement") {
		eff := "Allow"
		if e, ok := str(m.attr(st.Body, "effect").val); ok {
			eff = e
		}
		acts := m.attr(st.Body, "actions")
		s := statement{effect: eff, actions: strs(acts.val), resources: strs(m.attr(st.Body, "resources").val)}
		if s.isAdmin() {
			m.add(RuleIAMWildcard, r, acts.line(), 0, "statement", nil, "%s has a statement allowing actions \"*\" on resources \"*\".", describe(r))
		} else if svc, sev, ok := s.serviceWildcard(); ok {
			m.add(RuleIAMWildcard, r, acts.line(), sev, "statement", nil, "%s has a statement allowing every %s action (\"%s:*\") on resources \"*\".", describe(r), svc, svc)
		}
	}
}

// adminPorts are services that must not face the internet.
var adminPorts = []int{22, 23, 3389, 3306, 5432, 1433, 1521, 27017, 6379, 9200, 5984, 11211, 2375, 2376, 5601, 9042, 445, 5900}

func isWorld(cidr string) bool { return cidr == "0.0.0.0/0" || cidr == "::/0" }

func (m *module) sgIngress(r *resource, b *hclsyntax.Body, v4, v6, protoAttr string) {
	var open attr
	for _, name := range []string{v4, v6} {
		a := m.attr(b, name)
		for _, c := range strs(a.val) {
			if isWorld(c) {
				open = a
			}
		}
		if open.present() {
			break
		}
	}
	if !open.present() {
		return
	}
	proto, pk := str(m.attr(b, protoAttr).val)
	if !pk {
		return
	}
	if proto == "-1" || strings.EqualFold(proto, "all") {
		m.add(RuleSGOpen, r, open.line(), 0, "all", nil, "%s allows all traffic from %s.", describe(r), strings.Join(strs(open.val), ", "))
		return
	}
	from, fk := number(m.attr(b, "from_port").val)
	to, tk := number(m.attr(b, "to_port").val)
	if !fk || !tk {
		return
	}
	if from <= 0 && to >= 65535 {
		m.add(RuleSGOpen, r, open.line(), 0, "all-ports", nil, "%s allows every port from the internet.", describe(r))
		return
	}
	for _, p := range adminPorts {
		if float64(p) >= from && float64(p) <= to {
			m.add(RuleSGOpen, r, open.line(), 0, "port", nil, "%s allows port %d from the internet (%s).", describe(r), p, strings.Join(strs(open.val), ", "))
			return
		}
	}
}

func (m *module) rdsPublic(r *resource) {
	a := m.attr(r.block.Body, "publicly_accessible")
	if v, known := boolean(a.val); known && v {
		m.add(RuleRDSPublic, r, a.line(), 0, "public", nil, "%s is publicly accessible.", describe(r))
	}
}

func (m *module) rdsEncryption(r *resource) {
	b := r.block.Body
	if m.attr(b, "replicate_source_db").present() || m.attr(b, "snapshot_identifier").present() {
		return // encryption follows the source
	}
	if mode, _ := str(m.attr(b, "engine_mode").val); mode == "serverless" {
		return // Aurora Serverless v1 is always encrypted
	}
	a := m.attr(b, "storage_encrypted")
	if !a.present() {
		m.add(RuleRDSUnencrypted, r, r.line(), 0, "storage_encrypted", nil, "%s does not set storage_encrypted = true (default false).", describe(r))
		return
	}
	if v, known := boolean(a.val); known && !v {
		m.add(RuleRDSUnencrypted, r, a.line(), 0, "storage_encrypted", nil, "%s sets storage_encrypted = false.", describe(r))
	}
}

// encryptionByDefault reports whether the module turns on account-level
// EBS encryption.
func (m *module) encryptionByDefault() bool {
	return m.anyResource("aws_ebs_encryption_by_default", func(o *resource) bool {
		v, known := boolean(m.attr(o.block.Body, "enabled").val)
		return !m.attr(o.block.Body, "enabled").present() || (known && v)
	})
}

func (m *module) ebsVolume(r *resource) {
	b := r.block.Body
	if m.encryptionByDefault() || m.attr(b, "snapshot_id").present() {
		return
	}
	a := m.attr(b, "encrypted")
	if !a.present() {
		m.add(RuleEBSUnencrypted, r, r.line(), 0, "encrypted", nil, "%s does not set encrypted = true.", describe(r))
		return
	}
	if v, known := boolean(a.val); known && !v {
		m.add(RuleEBSUnencrypted, r, a.line(), 0, "encrypted", nil, "%s sets encrypted = false.", describe(r))
	}
}

func (m *module) explicitUnencrypted(r *resource, b *hclsyntax.Body, where string) {
	if m.encryptionByDefault() {
		return
	}
	a := m.attr(b, "encrypted")
	if v, known := boolean(a.val); a.present() && known && !v {
		m.add(RuleEBSUnencrypted, r, a.line(), 0, where, nil, "%s has an unencrypted %s.", describe(r), where)
	}
}

func (m *module) cloudTrail(r *resource) {
	a := m.attr(r.block.Body, "enable_log_file_validation")
	if !a.present() {
		m.add(RuleCloudTrailValidate, r, r.line(), 0, "validation", m.insertAttr(r, "enable_log_file_validation = true"),
			"%s does not enable log file validation.", describe(r))
		return
	}
	if v, known := boolean(a.val); known && !v {
		m.add(RuleCloudTrailValidate, r, a.line(), 0, "validation", m.replaceAttr(r, a, "true"), "%s sets enable_log_file_validation = false.", describe(r))
	}
}

func (m *module) lambdaRuntime(r *resource) {
	if m.opts.EOL == nil {
		return
	}
	a := m.attr(r.block.Body, "runtime")
	rt, ok := str(a.val)
	if !ok {
		return
	}
	if rel, ok := m.opts.EOL.LambdaRuntime(rt); ok && rel.IsEOL(m.opts.Now) {
		f := eol.Finding(r.file.path, a.line(), "Lambda function "+r.name+" (runtime "+rt+")", rel, checks.SeverityMedium)
		m.out = append(m.out, f)
	}
}
