package terraform

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wardenbot/warden/checks"
)

func (m *module) checkOtherClouds(r *resource) {
	b := r.block.Body
	switch r.typ {
	case "google_storage_bucket_iam_member":
		m.gcsMembers(r, m.attr(b, "member"))
	case "google_storage_bucket_iam_binding":
		m.gcsMembers(r, m.attr(b, "members"))
	case "google_storage_bucket_acl":
		m.gcsMembers(r, m.attr(b, "role_entity"))
	case "google_storage_bucket_access_control", "google_storage_default_object_access_control", "google_storage_object_access_control":
		m.gcsMembers(r, m.attr(b, "entity"))
	case "google_compute_firewall":
		m.gcpFirewall(r)
	case "google_sql_database_instance":
		m.gcpSQL(r)
	case "azurerm_storage_account":
		m.azureStorage(r)
	case "azurerm_storage_container":
		a := m.attr(b, "container_access_type")
		if s, ok := str(a.val); ok && (s == "blob" || s == "container") {
			m.add(RuleAzureBlobPublic, r, a.line(), 0, "container_access_type", nil, "%s allows anonymous %s access.", describe(r), s)
		}
	case "azurerm_network_security_rule":
		m.nsgRule(r, b)
	case "azurerm_network_security_group":
		for _, sr := range blocks(b, "security_rule") {
			m.nsgRule(r, sr.Body)
		}
	}
}

func (m *module) gcsMembers(r *resource, a attr) {
	for _, s := range strs(a.val) {
		if strings.Contains(s, "allUsers") || strings.Contains(s, "allAuthenticatedUsers") {
			m.add(RuleGCSPublic, r, a.line(), 0, s, nil, "%s grants access to %s.", describe(r), s)
			return
		}
	}
}

// portsCover reports whether GCP/Azure port specs ("22", "20-30", "*")
// include any of want; an empty list means all ports.
func portsCover(specs []string, want ...int) (int, bool) {
	if len(specs) == 0 {
		return 0, true
	}
	for _, s := range specs {
		s = strings.TrimSpace(s)
		if s == "*" || s == "0-65535" || s == "1-65535" {
			return 0, true
		}
		lo, hi, isRange := strings.Cut(s, "-")
		if !isRange {
			hi = lo
		}
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := strconv.Atoi(strings.TrimSpace(hi))
		if err1 != nil || err2 != nil {
			continue
		}
		for _, w := range want {
			if w >= a && w <= b {
				return w, true
			}
		}
	}
	return 0, false
}

func (m *module) gcpFirewall(r *resource) {
	b := r.block.Body
	if d, ok := str(m.attr(b, "direction").val); ok && !strings.EqualFold(d, "INGRESS") {
		return
	}
	if dis, known := boolean(m.attr(b, "disabled").val); known && dis {
		return
	}
	src := m.attr(b, "source_ranges")
	open := false
	for _, c := range strs(src.val) {
		open = open || isWorld(c)
	}
	if !open {
		return
	}
	for _, al := range blocks(b, "allow") {
		proto, ok := str(m.attr(al.Body, "protocol").val)
		if !ok {
			continue
		}
		ports := m.attr(al.Body, "ports")
		if _, unknownPorts := ports.val.(unknown); unknownPorts {
			continue
		}
		switch strings.ToLower(proto) {
		case "all":
			m.add(RuleGCPFirewallOpen, r, src.line(), 0, "all", nil, "%s allows all protocols from the internet.", describe(r))
			return
		case "tcp", "udp", "6", "17":
			if p, ok := portsCover(strs(ports.val), 22, 3389); ok {
				if p == 0 {
					m.add(RuleGCPFirewallOpen, r, src.line(), 0, "all-ports", nil, "%s allows every %s port from the internet.", describe(r), proto)
				} else {
					m.add(RuleGCPFirewallOpen, r, src.line(), 0, "port", nil, "%s allows port %d from the internet.", describe(r), p)
				}
				return
			}
		}
	}
}

func (m *module) gcpSQL(r *resource) {
	ipc := block(body(block(r.block.Body, "settings")), "ip_configuration")
	if ipc == nil {
		return // public IP without authorized networks and without private network: default, but no network can reach it
	}
	ipv4 := m.attr(ipc.Body, "ipv4_enabled")
	nets := blocks(ipc.Body, "authorized_networks")
	if v, known := boolean(ipv4.val); ipv4.present() && (!known || !v) {
		// No public IP today, but the world is already authorized: turning
		// ipv4_enabled on later opens the database at once.
		for _, n := range nets {
			a := m.attr(n.Body, "value")
			if s, ok := str(a.val); ok && known && (isWorld(s) || s == "0.0.0.0") {
				m.add(RuleGCPSQLPublic, r, a.line(), checks.SeverityLow, "authorized_networks", nil,
					"%s authorizes %s; its public IP is disabled, so this opens the database to the internet as soon as ipv4_enabled is turned on.", describe(r), s)
				return
			}
		}
		return
	}
	for _, n := range nets {
		v := m.attr(n.Body, "value")
		if s, ok := str(v.val); ok && (isWorld(s) || s == "0.0.0.0") {
			m.add(RuleGCPSQLPublic, r, v.line(), 0, "authorized_networks", nil, "%s authorizes %s to connect to its public IP.", describe(r), s)
			return
		}
	}
	if ipv4.present() && len(nets) == 0 && !m.attr(ipc.Body, "private_network").present() {
		m.add(RuleGCPSQLPublic, r, ipv4.line(), checks.SeverityMedium, "ipv4", nil, "%s has a public IPv4 address and no private network.", describe(r))
	}
}

func (m *module) azureStorage(r *resource) {
	b := r.block.Body
	for _, name := range []string{"https_traffic_only_enabled", "enable_https_traffic_only"} {
		a := m.attr(b, name)
		if v, known := boolean(a.val); a.present() && known && !v {
			m.add(RuleAzureStorageHTTP, r, a.line(), 0, name, m.replaceAttr(r, a, "true"), "%s sets %s = false.", describe(r), name)
		}
	}
	for _, name := range []string{"allow_nested_items_to_be_public", "allow_blob_public_access"} {
		a := m.attr(b, name)
		if v, known := boolean(a.val); a.present() && known && v {
			m.add(RuleAzureBlobPublic, r, a.line(), 0, name, m.replaceAttr(r, a, "false"), "%s sets %s = true.", describe(r), name)
		}
	}
}

var worldSources = map[string]bool{"*": true, "0.0.0.0/0": true, "::/0": true, "internet": true, "any": true, "0.0.0.0": true}

func (m *module) nsgRule(r *resource, b *hclsyntax.Body) {
	dir, ok1 := str(m.attr(b, "direction").val)
	acc, ok2 := str(m.attr(b, "access").val)
	if !ok1 || !ok2 || !strings.EqualFold(dir, "Inbound") || !strings.EqualFold(acc, "Allow") {
		return
	}
	if proto, ok := str(m.attr(b, "protocol").val); ok && strings.EqualFold(proto, "icmp") {
		return // ICMP has no ports
	}
	var open attr
	for _, name := range []string{"source_address_prefix", "source_address_prefixes"} {
		a := m.attr(b, name)
		for _, s := range strs(a.val) {
			if worldSources[strings.ToLower(s)] {
				open = a
			}
		}
	}
	if !open.present() {
		return
	}
	var ports []string
	known := false
	for _, name := range []string{"destination_port_range", "destination_port_ranges"} {
		a := m.attr(b, name)
		if a.present() {
			if _, u := a.val.(unknown); u {
				return
			}
			known = true
			ports = append(ports, strs(a.val)...)
		}
	}
	if !known {
		return
	}
	if p, ok := portsCover(ports, 22, 3389); ok {
		what := "every port"
		if p != 0 {
			what = "port " + strconv.Itoa(p)
		}
		name, _ := str(m.attr(b, "name").val)
		m.add(RuleAzureNSGOpen, r, open.line(), 0, "rule:"+name, nil, "%s rule %q allows %s from the internet.", describe(r), name, what)
	}
}
