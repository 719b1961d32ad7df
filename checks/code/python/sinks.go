package python

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/rulekit"
)

// shellTrue: subprocess call with shell=True.
func shellTrue(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
	return ir.IsTrue(ir.Keyword(call, "shell"))
}

// programOrScript picks, from an exec-style argument list starting at
// index skip, what decides the command: the script after a shell's -c, the
// code an interpreter runs, or else the program.
func programOrScript(skip int) func(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	return func(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
		var args []*ir.Expr
		for i := skip; ir.Positional(call, i) != nil; i++ {
			args = append(args, ir.Positional(call, i))
		}
		return argvParts(fn, args, call.Pos.Start)
	}
}

// subprocessCommand picks what decides the command of a subprocess call
// and whether it is only the program (checked by how it begins). With
// shell=True it is the whole command string. An argument list (see
// argvOf) runs its program, or the
// script or code a shell or interpreter in it runs. A plain string
// without a shell is a command line too: Windows parses it into arguments
// (and hands .bat/.cmd programs to cmd.exe), so input anywhere in it counts.
func subprocessCommand(f *ir.File, fn *ir.Function, call *ir.Expr) (parts []*ir.Expr, program bool) {
	cmd := ir.Positional(call, 0)
	if cmd == nil {
		cmd = ir.Keyword(call, "args")
	}
	if cmd == nil {
		return nil, false
	}
	if shellTrue(f, fn, call) {
		return []*ir.Expr{cmd}, false
	}
	argv, ok := argvOf(f, fn, cmd, call.Pos.Start, 0)
	if !ok {
		// A string built here is a command line; a value of unknown
		// shape is judged, like a program, by how it begins.
		v, _ := resolveLocal(fn, cmd, call.Pos.Start)
		return []*ir.Expr{cmd}, !commandString(v, 0)
	}
	parts = argvParts(fn, argv, call.Pos.Start)
	return parts, len(argv) > 0 && len(parts) == 1 && parts[0] == argv[0]
}

// subprocessProgram: the program of an argument list, judged by how it
// begins ("ping " + x still runs ping).
func subprocessProgram(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	if parts, program := subprocessCommand(f, fn, call); program {
		return parts
	}
	return nil
}

// subprocessLine: a command line, shell script or interpreted code, where
// input anywhere is dangerous.
func subprocessLine(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	if parts, program := subprocessCommand(f, fn, call); !program {
		return parts
	}
	return nil
}

// subprocessOptions: the arguments of a list run by subprocess that a
// fixed program with dangerous options (git, ssh, curl…) may read as
// options. shlex.split of one string is not looked into.
func subprocessOptions(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	if shellTrue(f, fn, call) {
		return nil
	}
	cmd := ir.Positional(call, 0)
	if cmd == nil {
		cmd = ir.Keyword(call, "args")
	}
	argv, ok := argvOf(f, fn, cmd, call.Pos.Start, 0)
	if !ok || len(argv) < 2 {
		return nil
	}
	return rulekit.OptionArgs(argv[0], argv[1:])
}

var subprocessCalls = []string{"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"}

var sinks = []engine.Sink{
	{Rule: "sql-injection", Class: engine.SQL, Args: []int{0}, Keywords: []string{"sql", "query"},
		Callees: []string{"*.execute", "*.executemany", "*.executescript", "*.raw", "sqlalchemy.text", "sqlalchemy.sql.text",
			"pandas.read_sql", "pandas.read_sql_query", "*.read_sql", "*.read_sql_query", "django.db.models.expressions.RawSQL", "*.mogrify"}},
	{Rule: "sql-injection", Class: engine.SQL, Args: []int{0}, Keywords: []string{"query"},
		Callees: []string{"*.fetch", "*.fetchrow", "*.fetchval", "*.copy_from_query", "*.run"},
		When: func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
			// asyncpg and pg8000 connections: conn.fetch(sql), connection.run(sql).
			r := ir.Root(call.X.X)
			if r == nil {
				return false
			}
			n := strings.ToLower(r.Name)
			return strings.Contains(n, "conn") || strings.Contains(n, "pool") || n == "db" || strings.Contains(n, "cursor")
		}},
	// SQLAlchemy coerces plain strings in these clauses to raw SQL.
	{Rule: "sql-injection", Class: engine.SQL, Args: []int{0},
		Callees: []string{"*.filter", "*.order_by", "*.group_by", "*.having", "*.distinct"},
		When: func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
			a := ir.Positional(call, 0)
			return a != nil && (a.Kind == ir.Format || a.Kind == ir.Binary ||
				a.Kind == ir.Call && a.X != nil && a.X.Kind == ir.Attr && a.X.Name == "format")
		}},
	{Rule: "command-injection", Class: engine.Command, Args: []int{0},
		Callees: []string{"os.system", "os.popen", "os.popen2", "os.popen3", "commands.getoutput", "commands.getstatusoutput",
			"subprocess.getoutput", "subprocess.getstatusoutput", "asyncio.create_subprocess_shell",
			"asyncio.subprocess.create_subprocess_shell", "os.execl", "os.execlp",
			"os.startfile", "pty.spawn",
			"airflow.operators.bash_operator.BashOperator", "airflow.operators.bash.BashOperator", "paramiko.SSHClient().exec_command",
			"*.exec_command"}},
	{Rule: "command-injection", Class: engine.Command, Arg: programOrScript(0),
		Callees: []string{"os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv", "os.execve", "os.execvp", "os.execvpe",
			"os.posix_spawn", "os.posix_spawnp", "asyncio.create_subprocess_exec", "asyncio.subprocess.create_subprocess_exec"}},
	{Rule: "command-injection", Class: engine.Command, Arg: programOrScript(1),
		Callees: []string{"os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv", "os.spawnve", "os.spawnvp", "os.spawnvpe",
			"*.subprocess_exec"}},
	{Rule: "command-injection", Class: engine.Command, Args: []int{1}, Callees: []string{"*.subprocess_shell"}},
	{Rule: "command-injection", Class: engine.Command, Callees: subprocessCalls, Arg: subprocessLine},
	{Rule: "command-injection", Class: engine.Command, Callees: subprocessCalls, Arg: subprocessProgram, Program: true},
	{Rule: "argument-injection", Class: engine.Command, Callees: subprocessCalls, Arg: subprocessOptions, Program: true, RequestOnly: true},
	{Rule: "cors-reflected-origin", Class: engine.Origin, Callees: []string{"*.add", "*.set", "*.add_header"}, Arg: allowOrigin},
	{Rule: "path-traversal", Class: engine.Path, Args: []int{0}, Keywords: []string{"file", "path", "filename_or_fp"},
		Callees: []string{"open", "io.open", "codecs.open", "os.remove", "os.unlink", "os.rmdir", "os.removedirs", "os.makedirs",
			"os.mkdir", "os.listdir", "os.scandir", "shutil.rmtree", "shutil.copy", "shutil.copyfile", "shutil.copytree", "shutil.move",
			"os.rename", "os.replace", "flask.send_file", "flask.send_from_directory", "aiofiles.open", "tarfile.open", "zipfile.ZipFile",
			"django.http.FileResponse", "os.truncate", "os.chmod"}},
	{Rule: "ssrf", Class: engine.URL, Args: []int{0}, Keywords: []string{"url"}, HostFixed: true,
		Callees: []string{"requests.get", "requests.post", "requests.put", "requests.delete", "requests.head", "requests.patch",
			"requests.options", "urllib.request.urlopen", "urllib.request.Request", "urllib.urlopen", "urllib2.urlopen",
			"urllib2.Request", "httpx.get", "httpx.post", "httpx.put", "httpx.delete", "httpx.head", "httpx.patch", "httpx.stream",
			"urllib3.PoolManager().request", "aiohttp.request", "pycurl.Curl().setopt"}},
	{Rule: "ssrf", Class: engine.URL, Args: []int{1}, Keywords: []string{"url"}, HostFixed: true,
		Callees: []string{"requests.request", "httpx.request"}},
	{Rule: "xss", Class: engine.HTML, Args: []int{0}, Keywords: []string{"content", "response"},
		Callees: []string{"flask.make_response", "flask.Response", "django.http.HttpResponse", "django.http.response.HttpResponse",
			"django.utils.safestring.mark_safe", "django.utils.html.format_html", "markupsafe.Markup", "flask.Markup", "jinja2.Markup",
			"django.utils.safestring.SafeString", "pyramid.response.Response", "pyramid.request.Response", "pyramid.Response",
			"webob.Response"}},
	{Rule: "open-redirect", Class: engine.Redirect, Args: []int{0}, HostFixed: true,
		Callees: []string{"flask.redirect", "werkzeug.utils.redirect", "django.shortcuts.redirect", "django.http.HttpResponseRedirect",
			"django.http.HttpResponsePermanentRedirect", "django.http.response.HttpResponseRedirect", "fastapi.responses.RedirectResponse",
			"starlette.responses.RedirectResponse"}},
	{Rule: "code-injection", Class: engine.Code, Args: []int{0},
		Callees: []string{"eval", "exec", "compile", "builtins.eval", "builtins.exec", "execfile", "code.InteractiveInterpreter().runsource",
			"code.InteractiveConsole().push", "_testcapi.run_in_subinterp", "test.support.run_in_subinterp"}},
	{Rule: "code-injection", Class: engine.Code, Args: []int{1}, Callees: []string{"_xxsubinterpreters.run_string", "_interpreters.run_string"}},
	{Rule: "unsafe-deserialization", Class: engine.Deserialize, Args: []int{0},
		Callees: []string{"pickle.loads", "pickle.load", "cPickle.loads", "cPickle.load", "_pickle.loads", "_pickle.load", "dill.loads", "dill.load",
			"shelve.open", "jsonpickle.decode", "marshal.loads", "marshal.load", "pandas.read_pickle", "torch.load", "joblib.load"}},
	{Rule: "template-injection", Class: engine.Template, Args: []int{0},
		Callees: []string{"flask.render_template_string", "jinja2.Template", "django.template.Template", "mako.template.Template",
			"*.from_string"}},
}

// props: a Pyramid view's response body, HTML unless the view says otherwise.
// allowOrigin picks the value resp.headers.add/set(…) gives
// Access-Control-Allow-Origin.
func allowOrigin(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	return rulekit.HeaderValue(call, 0, "Access-Control-Allow-Origin")
}

var props = []engine.PropertySink{
	// response["Access-Control-Allow-Origin"] = …, resp.headers[…] = …
	{Rule: "cors-reflected-origin", Class: engine.Origin, Props: []string{"[access-control-allow-origin]"}},
	{Rule: "xss", Class: engine.HTML, Props: []string{"request.response.body", "request.response.text", "self.request.response.body",
		"self.request.response.text"}},
}

var sanitizers = []engine.Sanitizer{
	{Clears: engine.All, Callees: []string{"int", "float", "bool", "len", "uuid.UUID", "abs", "round", "hash", "ord", "id",
		"urllib.parse.quote", "urllib.parse.quote_plus", "urllib.quote", "datetime.date.fromisoformat",
		"ipaddress.ip_address", "isinstance", "hashlib.sha256().hexdigest", "re.escape"}},
	{Clears: engine.HTML, Callees: []string{"html.escape", "cgi.escape", "markupsafe.escape", "flask.escape", "jinja2.escape",
		"django.utils.html.escape", "django.utils.html.strip_tags", "bleach.clean", "xml.sax.saxutils.escape", "flask.jsonify",
		"json.dumps", "django.http.JsonResponse", "flask.render_template", "django.shortcuts.render"}},
	{Clears: engine.Command, Callees: []string{"shlex.quote", "pipes.quote", "shlex.join"}},
	{Clears: engine.Path, Callees: []string{"os.path.basename", "werkzeug.utils.secure_filename", "werkzeug.secure_filename",
		"flask.safe_join", "werkzeug.utils.safe_join", "werkzeug.security.safe_join", "pathlib.PurePath().name"}},
	{Clears: engine.Redirect, Callees: []string{"flask.url_for", "django.urls.reverse", "django.shortcuts.resolve_url"}},
	{Clears: engine.SQL, Callees: []string{"*.escape_string", "psycopg2.extensions.quote_ident", "sqlalchemy.bindparam", "*.literal"}},
}

// Spec is the Python language's table for the taint engine.
var Spec = &engine.Spec{
	Lang:         "python",
	Source:       source,
	ParamSources: paramSources,
	ReturnSink:   returnSink,
	Sinks:        sinks,
	Props:        props,
	Sanitizers:   sanitizers,
	Validators: []string{"startswith", "endswith", "match", "fullmatch", "search", "isdigit", "isnumeric", "isalnum", "isalpha",
		"isidentifier", "is_safe_url", "url_has_allowed_host_and_scheme", "is_relative_to", "isdecimal", "validate", "is_valid"},
	NoReturn:  []string{"flask.abort", "werkzeug.exceptions.abort", "sys.exit", "os._exit", "exit", "quit"},
	Mutators:  []string{"append", "extend", "insert", "add", "update", "write", "writelines", "setdefault"},
	SelfNames: []string{"self", "cls"},
	UnknownParam: func(f *ir.File, fn *ir.Function, p ir.Param) bool {
		return p.Name != "self" && p.Name != "cls" && !safeParamTypes[p.Type] && !strings.HasPrefix(p.Name, "*")
	},
	FreeNames: true,
	Builtins: []string{"str", "int", "float", "bool", "bytes", "object", "type", "len", "repr", "list", "dict", "set", "tuple",
		"print", "range", "map", "filter", "zip", "sorted", "min", "max", "sum", "any", "all", "open", "input", "super", "isinstance",
		"issubclass", "getattr", "setattr", "hasattr", "delattr", "id", "hash", "iter", "next", "vars", "globals", "locals", "format",
		"chr", "ord", "hex", "oct", "bin", "abs", "round", "callable", "enumerate", "reversed", "slice", "property", "staticmethod",
		"classmethod", "frozenset", "bytearray", "memoryview", "complex", "divmod", "pow", "exec", "eval", "compile", "ascii", "dir",
		"help", "exit", "quit", "self", "cls", "exc", "e", "err"},
	HTMLStrings: true,
}
