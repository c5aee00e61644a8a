package io.veridict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every shell command the documentation shows (README.md and docs/*.md), so a reader who
 * copies them gets what the page says.
 *
 * <p>The convention (written up for authors in docs/doc-tests.md):
 *
 * <ul>
 *   <li>Commands live in fenced {@code ```console} blocks, one per line starting with {@code $ };
 *       a line ending in a backslash continues on the next line, and a here-document's body runs
 *       to its terminator. Lines without the prompt are sample output and are not compared.
 *   <li>{@code # exit N} at the end of a command: the exit code it must have (default 0).
 *   <li>HTML comments right above a block ({@code <!-- doctest: ... -->}) change how it runs:
 *       {@code skip REASON}, {@code background ready=URL}, {@code contains="TEXT"},
 *       {@code timeout=SECONDS}.
 *   <li>Shell commands in any other kind of block ({@code ```bash}, or an unlabelled block with
 *       {@code $ } or {@code ./veridict} lines) are an error, so nothing escapes the test.
 * </ul>
 *
 * <p>Each document runs in its own fresh directory, commands in order in one shell state
 * (variables and the working directory carry over). The directory holds symbolic links to the
 * repository's tracked top-level entries (so {@code ./veridict}, {@code model/...},
 * {@code verifier-app/target/...} resolve as in a clone) and sits beside a {@code shared/datasets}
 * link, so {@code ../shared/datasets/...} works too. {@code VERIDICT_NO_BUILD=1}: the launcher
 * uses the jar {@code mvn package} just built and never starts a nested Maven build.
 */
class DocCommandsIT {
  static final Path ROOT = Paths.get(System.getProperty("veridict.root", "..")).toAbsolutePath().normalize();
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(240);
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  static final Pattern FENCE = Pattern.compile("^(```+|~~~+)\\s*([^\\s`]*)\\s*$");
  static final Pattern DIRECTIVE = Pattern.compile("^\\s*<!--\\s*doctest:\\s*(.*?)\\s*-->\\s*$");
  static final Pattern EXIT = Pattern.compile("#\\s*exit\\s+(\\d+)\\s*$");
  static final Pattern HEREDOC = Pattern.compile("<<-?\\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\\1");
  static final Pattern CONTAINS = Pattern.compile("contains=\"((?:[^\"\\\\]|\\\\.)*)\"");
  static final Pattern READY = Pattern.compile("ready=(\\S+)");
  static final Pattern TIMEOUT = Pattern.compile("timeout=(\\d+)");
  static final Pattern RECURSIVE = Pattern.compile("(^|[;&|(]\\s*)\\./veridict\\s+(test|build)\\b");
  static final Set<String> OTHER_SHELLS = Set.of("bash", "sh", "shell", "zsh", "shell-session", "shellsession");

  // ---------------------------------------------------------------------------------------------
  // The document model.

  /** One command: its text (continuations and here-document included) and where it is. */
  record Command(String text, int line, int expectedExit) {}

  /** A fenced block with its directives. */
  record Block(String lang, int line, List<String> body, List<String> directives) {
    String skipReason() {
      for (String d : directives) {
        if (d.equals("skip") || d.startsWith("skip ")) {
          return d.substring(4).replaceFirst("^[\\s—–:-]+", "").trim();
        }
      }
      return null;
    }

    String ready() {
      for (String d : directives) {
        if (d.startsWith("background")) {
          Matcher m = READY.matcher(d);
          return m.find() ? m.group(1) : "";
        }
      }
      return null;
    }

    List<String> contains() {
      List<String> out = new ArrayList<>();
      for (String d : directives) {
        Matcher m = CONTAINS.matcher(d);
        while (m.find()) {
          out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
      }
      return out;
    }

    Duration timeout() {
      for (String d : directives) {
        Matcher m = TIMEOUT.matcher(d);
        if (m.find()) {
          return Duration.ofSeconds(Long.parseLong(m.group(1)));
        }
      }
      return DEFAULT_TIMEOUT;
    }
  }

  /** Splits a markdown text into fenced blocks; every convention error is reported, not skipped. */
  static List<Block> blocks(String name, String markdown) {
    List<String> lines = markdown.lines().toList();
    List<Block> out = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    int pendingLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      Matcher d = DIRECTIVE.matcher(l);
      if (d.matches()) {
        if (pending.isEmpty()) {
          pendingLine = i + 1;
        }
        pending.add(d.group(1));
        continue;
      }
      if (l.strip().startsWith("<!--") && l.contains("doctest:")) {
        throw new IllegalArgumentException(
            name + ":" + (i + 1) + ": a doctest directive must be a whole line: <!-- doctest: ... -->");
      }
      Matcher f = FENCE.matcher(l);
      if (f.matches()) {
        String fence = f.group(1);
        String lang = f.group(2).toLowerCase();
        List<String> body = new ArrayList<>();
        int start = i + 1;
        i++;
        while (i < lines.size() && !lines.get(i).trim().equals(fence)) {
          body.add(lines.get(i));
          i++;
        }
        if (i >= lines.size()) {
          throw new IllegalArgumentException(name + ":" + start + ": unterminated code block");
        }
        if (!pending.isEmpty() && !lang.equals("console")) {
          throw new IllegalArgumentException(
              name + ":" + pendingLine + ": doctest directives apply to ```console blocks only, not ```" + lang);
        }
        out.add(new Block(lang, start, body, List.copyOf(pending)));
        pending.clear();
        continue;
      }
      if (!pending.isEmpty() && !l.isBlank()) {
        throw new IllegalArgumentException(
            name + ":" + pendingLine + ": a doctest directive must be followed by a ```console block");
      }
    }
    if (!pending.isEmpty()) {
      throw new IllegalArgumentException(name + ":" + pendingLine + ": a doctest directive without a block");
    }
    for (Block b : out) {
      if (OTHER_SHELLS.contains(b.lang())) {
        throw new IllegalArgumentException(name + ":" + b.line() + ": shell commands go in ```console blocks with "
            + "'$ ' prompts (so the doc test runs them), not ```" + b.lang());
      }
      // Markdown examples (docs about writing docs) may show commands; they are not commands.
      if (!b.lang().equals("console") && !b.lang().equals("markdown") && !b.lang().equals("md")) {
        for (String l : b.body()) {
          if (l.startsWith("$ ") || l.startsWith("./veridict ")) {
            throw new IllegalArgumentException(name + ":" + b.line() + ": a block with shell commands must be "
                + "```console with '$ ' prompts (found: " + l + ")");
          }
        }
      }
    }
    return out;
  }

  /** The commands of a console block. */
  static List<Command> commands(String name, Block b) {
    List<Command> out = new ArrayList<>();
    List<String> body = b.body();
    for (int i = 0; i < body.size(); i++) {
      String l = body.get(i);
      if (!l.startsWith("$ ")) {
        continue;
      }
      int line = b.line() + i + 1;
      StringBuilder head = new StringBuilder(l.substring(2));
      while (head.toString().endsWith("\\")) {
        if (++i >= body.size()) {
          throw new IllegalArgumentException(name + ":" + line + ": a continuation line is missing");
        }
        head.append('\n').append(body.get(i));
      }
      String text = head.toString();
      Matcher h = HEREDOC.matcher(text);
      if (h.find()) {
        String word = h.group(2);
        boolean dash = text.substring(h.start()).startsWith("<<-");
        StringBuilder doc = new StringBuilder(text);
        boolean closed = false;
        while (++i < body.size()) {
          String bl = body.get(i);
          doc.append('\n').append(bl);
          if ((dash ? bl.strip() : bl).equals(word)) {
            closed = true;
            break;
          }
        }
        if (!closed) {
          throw new IllegalArgumentException(name + ":" + line + ": here-document " + word + " is not terminated");
        }
        text = doc.toString();
      }
      String lastHeadLine = head.substring(head.lastIndexOf("\n") + 1);
      Matcher e = EXIT.matcher(lastHeadLine);
      int expected = e.find() ? Integer.parseInt(e.group(1)) : 0;
      out.add(new Command(text, line, expected));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(name + ":" + b.line() + ": a ```console block without a '$ ' command");
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Running a document.

  static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.getFileName().toString().endsWith(".md")).sorted(Comparator.comparing(Path::toString))
          .forEach(docs::add);
    }
    // -Dveridict.doctest.only=http-api.md,README.md: just those (while writing a page).
    String only = System.getProperty("veridict.doctest.only", "").trim();
    if (!only.isEmpty()) {
      List<String> wanted = List.of(only.split("\\s*,\\s*"));
      docs.removeIf(d -> wanted.stream().noneMatch(w -> ROOT.relativize(d).toString().endsWith(w)));
      assertFalse(docs.isEmpty(), "no document matches -Dveridict.doctest.only=" + only);
    }
    return docs;
  }

  /** The tracked top-level entries of the repository (git), else every non-hidden one. */
  static Set<String> topLevel() throws IOException, InterruptedException {
    Set<String> names = new LinkedHashSet<>();
    try {
      Process p = new ProcessBuilder("git", "-C", ROOT.toString(), "ls-files", "-z")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        for (String f : out.split("\0")) {
          if (!f.isEmpty()) {
            names.add(f.split("/", 2)[0]);
          }
        }
      }
    } catch (IOException gitMissing) {
      // fall through: no git
    }
    if (names.isEmpty()) {
      try (Stream<Path> s = Files.list(ROOT)) {
        s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.equals("veridict-demo"))
            .forEach(names::add);
      }
    }
    names.removeIf(n -> n.startsWith(".") && !n.equals(".ci"));
    return names;
  }

  static Path datasets() {
    String env = System.getenv("VERIDICT_DATASETS");
    if (env != null && Files.isDirectory(Path.of(env))) {
      return Path.of(env).toAbsolutePath();
    }
    for (Path d = ROOT; d != null; d = d.getParent()) {
      Path p = d.resolve("shared/datasets");
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new IllegalStateException("../shared/datasets not found beside the repository; set VERIDICT_DATASETS");
  }

  /** A document's run: its directory, shell state and background processes. */
  static final class DocRun implements AutoCloseable {
    final String name;
    final Path dir;
    final Path state;
    final List<Process> background = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    boolean devLedgerStarted;
    int ran;

    DocRun(String name, Path base) throws IOException, InterruptedException {
      this.name = name;
      this.dir = Files.createDirectories(base.resolve(name.replace('/', '_').replace(".md", "")));
      for (String entry : topLevel()) {
        if (Files.exists(ROOT.resolve(entry))) {
          Files.createSymbolicLink(dir.resolve(entry), ROOT.resolve(entry));
        }
      }
      this.state = base.resolve(dir.getFileName() + ".state");
      Files.writeString(state, "cd " + shellQuote(dir.toString()) + "\n");
    }

    ProcessBuilder shell(String script) {
      ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(dir.toFile());
      Map<String, String> env = pb.environment();
      env.put("VERIDICT_NO_BUILD", "1");
      env.put("VERIDICT_DATASETS", datasets().toString());
      env.remove("VERIDICT_LEDGER_KEY");
      env.put("DOCTEST_STATE", state.toString());
      // `java -jar ...` in the docs needs Java 21+: the JDK running the tests comes first.
      env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator + env.get("PATH"));
      return pb;
    }

    /** Runs one command in the document's shell state; returns exit code and output. */
    String[] run(Command c, Duration timeout) throws IOException, InterruptedException {
      String script = "set -a\n. \"$DOCTEST_STATE\"\n" + c.text() + "\n__doctest_rc=$?\n"
          + "{ export -p | grep -v -E '^declare -x (PWD|OLDPWD|SHLVL|_|DOCTEST_STATE)=' ; "
          + "printf 'cd %q\\n' \"$PWD\"; } > \"$DOCTEST_STATE.new\" && mv \"$DOCTEST_STATE.new\" \"$DOCTEST_STATE\"\n"
          + "exit $__doctest_rc\n";
      Path out = Files.createTempFile(dir.getParent(), "out", ".txt");
      Process p = shell(script).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        kill(p);
        return new String[] {"timeout", Files.readString(out)};
      }
      return new String[] {Integer.toString(p.exitValue()), Files.readString(out, StandardCharsets.UTF_8)};
    }

    void startBackground(Command c, String readyUrl) throws IOException, InterruptedException {
      Path out = dir.getParent().resolve(dir.getFileName() + ".background-" + background.size() + ".txt");
      Process p = shell("set -a\n. \"$DOCTEST_STATE\"\nset +a\n" + c.text() + "\n").redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      background.add(p);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          fail(name + ":" + c.line() + ": background command exited (" + p.exitValue() + ") before " + readyUrl
              + " was ready:\n" + c.text() + "\n" + tail(Files.readString(out)));
        }
        try {
          HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(readyUrl)).timeout(Duration.ofSeconds(2))
              .GET().build(), HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() >= 200 && r.statusCode() < 300) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(200);
      }
      fail(name + ":" + c.line() + ": " + readyUrl + " was not ready within " + READY_TIMEOUT.toSeconds() + " s:\n"
          + c.text() + "\n" + tail(Files.readString(out)));
    }

    @Override
    public void close() throws IOException, InterruptedException {
      for (Process p : background) {
        kill(p);
      }
      if (devLedgerStarted) {
        // The doc must stop its node itself (checked); this is the safety net for a failed run.
        String[] r = run(new Command("./veridict ledger stop-dev", 0, 0), Duration.ofSeconds(60));
        log.add("  (cleanup) ./veridict ledger stop-dev: exit " + r[0]);
      }
    }
  }

  static void kill(Process p) throws InterruptedException {
    List<ProcessHandle> tree = p.descendants().toList();
    p.destroy();
    tree.forEach(ProcessHandle::destroy);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    for (ProcessHandle h : tree) {
      h.onExit().completeOnTimeout(h, 5, TimeUnit.SECONDS).join();
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  static String tail(String s) {
    return s.length() <= 6000 ? s : "...\n" + s.substring(s.length() - 6000);
  }

  /** Runs every command of one document and prints what ran, how long it took and what was skipped. */
  static void runDocument(Path doc, Path base) throws Exception {
    String name = ROOT.relativize(doc).toString();
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    List<Block> blocks = blocks(name, text);
    long start = System.nanoTime();
    List<String> skips = new ArrayList<>();
    boolean stopsDev = false;
    boolean startsDev = false;
    try (DocRun run = new DocRun(name, base)) {
      for (Block b : blocks) {
        if (!b.lang().equals("console")) {
          continue;
        }
        List<Command> cmds = commands(name, b);
        String skip = b.skipReason();
        if (skip != null) {
          assertFalse(skip.isBlank(), name + ":" + b.line() + ": 'doctest: skip' needs a reason");
          for (Command c : cmds) {
            skips.add(name + ":" + c.line() + ": " + c.text().lines().findFirst().orElse("") + "  [skipped: " + skip
                + "]");
          }
          continue;
        }
        String ready = b.ready();
        for (Command c : cmds) {
          if (RECURSIVE.matcher(c.text()).find()) {
            fail(name + ":" + c.line() + ": './veridict test' and './veridict build' run Maven; the doc test runs inside "
                + "Maven, so mark the block <!-- doctest: skip — REASON -->");
          }
          if (c.text().contains("ledger start-dev") && !c.text().contains("--detach") && ready == null) {
            fail(name + ":" + c.line() + ": 'ledger start-dev' without --detach never returns; use --detach (and "
                + "'ledger stop-dev' later) or a background block");
          }
          if (c.text().contains("ledger stop-dev")) {
            stopsDev = true;
          }
          if (c.text().contains("ledger start-dev")) {
            startsDev = true;
          }
        }
        if (ready != null) {
          if (cmds.size() != 1 || ready.isEmpty()) {
            fail(name + ":" + b.line() + ": a background block holds exactly one command and names ready=URL");
          }
          run.startBackground(cmds.get(0), ready);
          run.log.add(String.format("  %5d  background, ready at %s: %s", cmds.get(0).line(), ready,
              cmds.get(0).text().lines().findFirst().orElse("")));
          continue;
        }
        StringBuilder blockOut = new StringBuilder();
        for (Command c : cmds) {
          long t0 = System.nanoTime();
          String[] r = run.run(c, b.timeout());
          double secs = (System.nanoTime() - t0) / 1e9;
          run.ran++;
          blockOut.append(r[1]);
          if (c.text().contains("ledger start-dev") && c.text().contains("--detach")) {
            run.devLedgerStarted = true;
          }
          if (c.text().contains("ledger stop-dev") && r[0].equals("0")) {
            run.devLedgerStarted = false;
          }
          run.log.add(String.format("  %5d  %6.1f s  exit %-3s %s", c.line(), secs, r[0],
              c.text().lines().findFirst().orElse("")));
          if (!r[0].equals(Integer.toString(c.expectedExit()))) {
            fail(name + ":" + c.line() + ": expected exit " + c.expectedExit() + ", got " + r[0] + "\n$ " + c.text()
                + "\n" + tail(r[1]));
          }
        }
        for (String want : b.contains()) {
          assertTrue(blockOut.toString().contains(want), name + ":" + b.line() + ": the output does not contain \""
              + want + "\":\n" + tail(blockOut.toString()));
        }
      }
      if (startsDev) {
        assertTrue(stopsDev, name + ": starts a dev ledger with --detach but never runs './veridict ledger stop-dev'");
      }
      for (Block b : blocks) {
        if (b.lang().equals("solidity")) {
          compileSolidity(name, b, run.dir);
        }
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.println(String.format("doc test %s: %d commands in %.1f s", name, run.ran, secs));
      run.log.forEach(System.out::println);
      skips.forEach(s -> System.out.println("  SKIPPED " + s));
    }
  }

  /**
   * Compiles a ```solidity block from the docs together with the real contract sources, with the
   * pinned npm solc in contracts/node_modules and the build's settings; errors and warnings fail.
   */
  static void compileSolidity(String name, Block b, Path dir) throws IOException, InterruptedException {
    Path nodeModules = ROOT.resolve("contracts/node_modules");
    assertTrue(Files.isDirectory(nodeModules.resolve("solc")),
        "contracts/node_modules/solc is missing: run sh contracts/scripts/ensure-node-modules.sh");
    Path snippet = dir.resolve("DocSnippet" + b.line() + ".sol");
    Files.writeString(snippet, String.join("\n", b.body()) + "\n");
    String js = """
        const { createRequire } = require("node:module");
        const fs = require("node:fs"), path = require("node:path");
        const [contracts, snippet] = process.argv.slice(1);
        const req = createRequire(path.join(contracts, "package.json"));
        const solc = req("solc");
        const src = path.join(contracts, "src", "main", "solidity");
        const sources = {};
        for (const f of fs.readdirSync(src).filter((f) => f.endsWith(".sol"))) {
          sources[f] = { content: fs.readFileSync(path.join(src, f), "utf8") };
        }
        sources["DocSnippet.sol"] = { content: fs.readFileSync(snippet, "utf8") };
        const settings = { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun",
          outputSelection: { "DocSnippet.sol": { "*": ["abi"] } } };
        const imports = (p) => p.startsWith("@openzeppelin/contracts/")
          ? { contents: fs.readFileSync(req.resolve(p), "utf8") } : { error: "import not allowed: " + p };
        const out = JSON.parse(solc.compile(JSON.stringify({ language: "Solidity", sources, settings }), { import: imports }));
        const diags = out.errors || [];
        for (const d of diags) console.log(d.formattedMessage || d.message);
        const contractsOut = Object.keys((out.contracts || {})["DocSnippet.sol"] || {});
        console.log("compiled: " + contractsOut.join(","));
        process.exit(diags.some((d) => d.severity === "error" || d.severity === "warning") || !contractsOut.length ? 1 : 0);
        """;
    Process p = new ProcessBuilder("node", "-e", js, ROOT.resolve("contracts").toString(), snippet.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "solc did not finish");
    assertEquals(0, p.exitValue(), name + ":" + b.line() + ": the Solidity snippet does not compile cleanly "
        + "with the contract sources:\n" + out);
    System.out.println("  " + name + ":" + b.line() + ": Solidity snippet " + out.strip());
  }

  @TestFactory
  Stream<DynamicTest> everyDocumentedCommandRuns() throws IOException {
    assertTrue(Files.isRegularFile(ROOT.resolve("bench/target/veridict-bench.jar")),
        "the launcher jar must be built (mvn package) before the doc tests");
    Path base = Files.createTempDirectory("veridict-doctest");
    Files.createDirectories(base.resolve("shared"));
    Files.createSymbolicLink(base.resolve("shared/datasets"), datasets());
    return documents().stream().map(doc -> DynamicTest.dynamicTest(ROOT.relativize(doc).toString(),
        () -> runDocument(doc, base)));
  }

  // ---------------------------------------------------------------------------------------------
  // The parser itself: a convention the test cannot see would let commands slip through.

  @Test
  void parsesPromptsContinuationsHereDocumentsExitCodesAndDirectives() {
    String md = String.join("\n",
        "text",
        "<!-- doctest: contains=\"VALID\" timeout=30 -->",
        "```console",
        "$ ./veridict verify a.json \\",
        "    --json   # exit 1",
        "{\"verified\":false}",
        "$ cat > card.json <<'EOF'",
        "$ not a command inside the here-document",
        "EOF",
        "output",
        "```",
        "<!-- doctest: skip — needs a Docker engine -->",
        "```console",
        "$ docker compose up",
        "```",
        "```json",
        "{\"a\": 1}",
        "```");
    List<Block> bs = blocks("t.md", md);
    assertEquals(3, bs.size());
    List<Command> cs = commands("t.md", bs.get(0));
    assertEquals(2, cs.size());
    assertEquals("./veridict verify a.json \\\n    --json   # exit 1", cs.get(0).text());
    assertEquals(1, cs.get(0).expectedExit());
    assertEquals(4, cs.get(0).line());
    assertEquals("cat > card.json <<'EOF'\n$ not a command inside the here-document\nEOF", cs.get(1).text());
    assertEquals(0, cs.get(1).expectedExit());
    assertEquals(List.of("VALID"), bs.get(0).contains());
    assertEquals(Duration.ofSeconds(30), bs.get(0).timeout());
    assertEquals("needs a Docker engine", bs.get(1).skipReason());
    assertEquals(null, bs.get(0).skipReason());
  }

  @Test
  void refusesCommandsOutsideTheConvention() {
    assertThrows(IllegalArgumentException.class, () -> blocks("t.md", "```bash\n./veridict demo\n```\n"));
    assertThrows(IllegalArgumentException.class, () -> blocks("t.md", "```\n./veridict demo\n```\n"));
    assertThrows(IllegalArgumentException.class, () -> blocks("t.md", "```text\n$ ls\n```\n"));
    assertThrows(IllegalArgumentException.class, () -> blocks("t.md", "<!-- doctest: skip x -->\ntext\n```console\n$ ls\n```\n"));
    assertThrows(IllegalArgumentException.class, () -> blocks("t.md", "<!-- doctest: skip x -->\n```json\n{}\n```\n"));
    assertThrows(IllegalArgumentException.class, () -> blocks("t.md", "```console\n$ ls\n"));
    assertThrows(IllegalArgumentException.class,
        () -> commands("t.md", blocks("t.md", "```console\n$ cat <<EOF\nno end\n```\n").get(0)));
    assertThrows(IllegalArgumentException.class,
        () -> commands("t.md", blocks("t.md", "```console\noutput only\n```\n").get(0)));
    // Synopses (no prompt, no ./) are documentation, not commands.
    assertEquals(1, blocks("t.md", "```\nveridict verify BUNDLE.json [--json]\n```\n").size());
  }

  @Test
  void shellStateCarriesOverAndExitCodesAreReal() throws Exception {
    Path base = Files.createTempDirectory("veridict-doctest-self");
    try (DocRun run = new DocRun("self.md", base)) {
      String[] a = run.run(new Command("X=hello; mkdir sub; cd sub; echo made > f.txt", 1, 0), Duration.ofSeconds(30));
      assertEquals("0", a[0], a[1]);
      String[] b = run.run(new Command("echo \"$X\"; cat f.txt; exit 3", 2, 0), Duration.ofSeconds(30));
      assertEquals("3", b[0], b[1]);
      assertEquals("hello\nmade\n", b[1]);
      String[] c = run.run(new Command("test -x ../veridict && test -f ../pom.xml", 3, 0),
          Duration.ofSeconds(30));
      assertEquals("0", c[0], "the launcher is linked into the doc's directory: " + c[1]);
    }
  }
}
