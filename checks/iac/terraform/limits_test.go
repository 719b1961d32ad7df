package terraform

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks/iac/eol"
)

// publicACL is a finding that must survive next to whatever a case adds.
const publicACL = "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"\n  acl    = \"public-read\"\n}\n"

func locals(body string) string { return "locals {\n" + body + "}\n" }

func nested(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// listOf is a literal list of n short strings.
func listOf(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf("%q", fmt.Sprint(i))
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// Each hostile input is cut off at a budget and reported as unscanned,
// naming the file, without crashing, hanging or allocating what the input
// asks for; realistic Terraform of the same shapes is analysed in full.
func TestBudgets(t *testing.T) {
	const deep = 10_000 // the command's hostile-input tests take 60,000
	cases := []struct {
		name, src string
		want      string // substring of the unscanned reason; "" for none
		partial   bool   // the rest of the file was analysed
	}{
		{"10000 nested parentheses", locals("  x = " + nested("(", "1", ")", deep) + "\n"), "nesting deeper than 512", false},
		{"10000 nested lists", locals("  x = " + nested("[", "1", "]", deep) + "\n"), "nesting deeper than 512", false},
		{"10000 nested objects", locals("  x = " + nested("{a = ", "1", "}", deep) + "\n"), "nesting deeper than 512", false},
		{"10000 nested blocks", nested("a {\n", "", "}\n", deep), "nesting deeper than 512", false},
		{"10000 nested interpolations", locals("  x = " + nested(`"${`, "1", `}"`, deep) + "\n"), "nesting deeper than 512", false},
		{"10000 nested template directives", locals("  x = \"" + nested("%{ if true }", "x", "%{ endif }", deep) + "\"\n"), "nesting deeper than 512", false},
		{"a chain of 10000 additions", locals("  x = 1" + strings.Repeat(" + 1", 10_000) + "\n"), "nesting deeper than 512", false},
		{"a chain of 10000 negations", locals("  x = " + strings.Repeat("!", 10_000) + "true\n"), "nesting deeper than 512", false},
		{"a chain of 10000 conditionals", locals("  x = " + strings.Repeat("true ? 1 : ", 10_000) + "0\n"), "nesting deeper than 512", false},
		{"a chain of 10000 indexes", locals("  x = local.y" + strings.Repeat("[0]", 10_000) + "\n"), "nesting deeper than 512", false},
		{"a chain of indexes across lines", locals("  x = (local.y" + strings.Repeat("\n[0]", 10_000) + ")\n"), "nesting deeper than 512", false},
		{"closers before the nesting do not hide it", "# " + strings.Repeat(")", deep) + "\n" + strings.Repeat("]", deep) + "\n" + locals("  x = "+nested("(", "1", ")", deep)+"\n"), "nesting deeper than 512", false},
		{"a number of 10000 digits", locals("  x = " + strings.Repeat("7", 10_000) + "\n"), "number literal longer than 256", false},
		{"format wider than memory", locals("  x = format(\"%900000000s\", \"x\")\n"), "format verb wider than", true},
		{"format of a numeric string with a huge exponent", locals("  x = format(\"%d\", \"1e99999999\")\n"), "numeric string", true},
		{"a number too large to render", locals("  x = \"${1e99999999}\"\n"), "number beyond", true},
		{"a number string built from parts", locals("  x = \"${\"1e\"}${\"99999999\"}\"\n  y = \"${local.x + 0}\"\n"), "numeric string", true},
		{"four nested for expressions", locals("  l = " + listOf(100) + "\n  x = [for a in local.l : [for b in local.l : [for c in local.l : [for d in local.l : \"xxxxxxxxxxxxxxxx\"]]]]\n"), "evaluation budget", true},
		{"template for directives nested over a list", locals("  l = " + listOf(100) + "\n  x = \"%{for a in local.l}%{for b in local.l}%{for c in local.l}%{for d in local.l}xxxxxxxx%{endfor}%{endfor}%{endfor}%{endfor}\"\n"), "evaluation budget", true},
		{"locals that copy each other ten times a step", locals(doubling(`"%s"`, `${local.l%d}`, "", 8)), "evaluation budget", true},
		{"tuples that share each other ten times a step", locals(doubling(`[%s]`, `local.l%d`, ", ", 8)), "evaluation budget", true},
		{"comparing shared tuples", locals(doubling(`[%s]`, `local.l%d`, ", ", 7) + "  eq = local.l7 == local.l7\n"), "evaluation budget", true},
		{"jsondecode of deep JSON", locals("  x = jsondecode(\"" + nested("[", "1", "]", deep) + "\")\n"), "JSON nested deeper", true},
		{"join of a list shared a million times", locals(doubling(`[%s]`, `local.l%d`, ", ", 6) + "  j = join(\",\", flatten(local.l6))\n"), "evaluation budget", true},
		{"distinct of a long list", locals("  l = " + listOf(20_000) + "\n  d = distinct(local.l)\n"), "evaluation budget", true},

		// Realistic shapes of the same kinds stay within every budget.
		{"for expressions over variables (trap)", "variable \"subnets\" {\n  default = [{cidr = \"10.0.0.0/24\"}, {cidr = \"10.0.1.0/24\"}]\n}\nlocals {\n  cidrs = [for s in var.subnets : s.cidr]\n  by    = {for i, s in var.subnets : tostring(i) => s.cidr if s.cidr != \"\"}\n  names = [for a in [\"x\", \"y\"] : [for b in [\"1\", \"2\"] : \"${a}-${b}\"]]\n}\n", "", false},
		{"format with padding (trap)", locals("  name = format(\"%s-%03d-%-10s|\", \"web\", 7, \"x\")\n"), "", false},
		{"a long flat list (trap)", locals("  cidrs = " + listOf(20_000) + "\n"), "", false},
		{"many attributes with operators (trap)", locals(strings.Repeat("  a = 1 + 2 * 3 - 4\n", 2_000)), "", false},
		{"sequential directives (trap)", locals("  x = \"" + strings.Repeat("%{ if true }x%{ endif }", 2_000) + "\"\n"), "", false},
		{"parentheses inside strings and heredocs (trap)", locals("  x = \"" + strings.Repeat("(", 5_000) + "\"\n  y = <<EOT\ncase $1 in\n  a) echo ((( ;;\nesac\nEOT\n"), "", false},
		{"an account id and big numbers (trap)", locals("  id = \"123456789012\"\n  big = 1e300\n  s = \"${local.big}-${local.id + 1}\"\n"), "", false},
		{"locals in a chain of 500 (trap)", locals(chain(500)), "", false},
		{"a jsonencoded policy (trap)", locals("  p = jsonencode({Statement = [for a in [\"s3:GetObject\", \"s3:ListBucket\"] : {Effect = \"Allow\", Action = a, Resource = \"*\"}]})\n"), "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			res := ScanModule(context.Background(), []File{{Path: "m/main.tf", Content: []byte(c.src + publicACL)}}, nil, Options{EOL: eol.Default(), Now: now})
			took := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<30 {
				t.Errorf("allocated %d MiB for a %d-byte file", alloc>>20, len(c.src))
			}
			if took > time.Minute {
				t.Errorf("took %s", took)
			}
			if c.want == "" {
				if len(res.Unscanned) > 0 {
					t.Fatalf("realistic Terraform reported unscanned: %v", res.Unscanned[0])
				}
				if !hasRule(res, RuleS3PublicACL) {
					t.Errorf("the public ACL next to it was not found")
				}
				return
			}
			if len(res.Unscanned) != 1 {
				t.Fatalf("want one unscanned part (%s), got %v", c.want, res.Unscanned)
			}
			got := res.Unscanned[0]
			if got.Path != "m/main.tf" || !strings.Contains(got.What, c.want) || got.Partial != c.partial || got.Line < 1 {
				t.Fatalf("unscanned = %+v, want %q in m/main.tf (partial %v)", got, c.want, c.partial)
			}
			if note := got.Note("iac"); !note.Unscanned || note.Path != "m/main.tf" {
				t.Errorf("note = %+v", note)
			}
		})
	}
}

func hasRule(res Result, id string) bool {
	for _, f := range res.Findings {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// doubling declares locals l0…ln where each refers to the one before it
// ten times (ref joined by sep, in wrap): l0 is 1 KiB, ln is 10^n of it
// if nothing stops it.
func doubling(wrap, ref, sep string, n int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "  l0 = %q\n", strings.Repeat("x", 1024))
	for i := 1; i <= n; i++ {
		parts := make([]string, 10)
		for j := range parts {
			parts[j] = fmt.Sprintf(ref, i-1)
		}
		fmt.Fprintf(&sb, "  l%d = "+wrap+"\n", i, strings.Join(parts, sep))
	}
	return sb.String()
}

// chain declares n locals each built on the one before.
func chain(n int) string {
	var sb strings.Builder
	sb.WriteString("  c0 = \"x\"\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&sb, "  c%d = \"${local.c%d}-\"\n", i, i-1)
	}
	return sb.String()
}

// A value the budget stopped is unknown, never a violation, and the stop
// names where it happened.
func TestBudgetLeavesValuesUnknown(t *testing.T) {
	src := "locals {\n  acl = format(\"%900000000s\", \"public-read\")\n}\nresource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"\n  acl    = local.acl\n}\n"
	res := ScanModule(context.Background(), []File{{Path: "main.tf", Content: []byte(src)}}, nil, Options{Now: now})
	if len(res.Unscanned) != 1 || res.Unscanned[0].Line != 2 {
		t.Fatalf("unscanned = %v, want the format call on line 2", res.Unscanned)
	}
	if hasRule(res, RuleS3PublicACL) {
		t.Errorf("an unknown ACL was reported")
	}
}

// Locals resolve in dependency order, however long the chain, and a cycle
// is unknown rather than an error.
func TestLocalsInDependencyOrder(t *testing.T) {
	src := "locals {\n  d = local.c\n  c = local.b\n  b = local.a\n  a = \"public-read\"\n  x = local.y\n  y = local.x\n}\n" +
		"resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"\n  acl    = local.d\n}\n" +
		"resource \"aws_s3_bucket_acl\" \"c\" {\n  bucket = \"c\"\n  acl    = local.x\n}\n"
	res := ScanModule(context.Background(), []File{{Path: "main.tf", Content: []byte(src)}}, nil, Options{Now: now})
	var lines []int
	for _, f := range res.Findings {
		if f.RuleID == RuleS3PublicACL {
			lines = append(lines, f.StartLine)
		}
	}
	if len(lines) != 1 || lines[0] != 11 || len(res.Unscanned) > 0 {
		t.Fatalf("public ACL at %v (want [11]), unscanned %v", lines, res.Unscanned)
	}
}

// A cancelled scan stops evaluating.
func TestBudgetHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := ScanModule(ctx, []File{{Path: "main.tf", Content: []byte(publicACL)}}, nil, Options{Now: now})
	if len(res.Findings) != 0 {
		t.Fatalf("findings after cancel: %v", res.Findings)
	}
}

func TestHugeNumeric(t *testing.T) {
	for s, want := range map[string]bool{
		"1e99999999": true, "-1e400": true, "1e-400": true, strings.Repeat("9", 400): true, "0." + strings.Repeat("0", 300) + "1": true,
		"123456789012": false, "1e300": false, "-12.5e-3": false, "1e": false, "e10": false, "10.0.0.0/8": false,
		"1-2": false, "arn:aws:s3:::b": false, "": false, strings.Repeat("9", 300) + "x": false,
	} {
		if got := hugeNumeric(s); got != want {
			t.Errorf("hugeNumeric(%.40q) = %v, want %v", s, got, want)
		}
	}
}
