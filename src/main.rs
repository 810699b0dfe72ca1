//! `pressmark`, the command line: batch annotation in the wire schema of [`pressmark::output`].
//!
//! ```text
//! pressmark annotate [FILE]        one document (FILE or stdin) → one JSON object
//! pressmark annotate --jsonl [--threads N] [--progress] [FILE]
//!                                   JSON Lines {"id": <any>, "text": "<string>"} → one line each,
//!                                   in input order, "id" echoed unchanged
//! ```
//! Offsets are Unicode code points. A bad input line (invalid UTF-8 or JSON, no "text", too long)
//! is reported on stderr with its line number and produces no output line; the other lines are
//! still processed and the exit code is 1 at the end. Usage errors exit with 2. This file holds
//! no NLP logic: it reads, calls [`pressmark::annotate`], and writes.
//!
//! `--jsonl` runs on every core (`--threads N` to choose): a reader thread cuts the input into
//! batches of lines, N workers parse and annotate them, and the main thread writes each batch's
//! output in input order. At most [`IN_FLIGHT_PER_THREAD`] batches per worker exist at once, so
//! memory stays flat on an endless stream.

use pressmark::offsets::Unit;
use pressmark::output::{JsonWriter, LineSafeJson, WireDocument};
use pressmark::MAX_TEXT_BYTES;
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: pressmark annotate [--jsonl [--threads N] [--progress]] [FILE]
  Annotates a news article: entities and quotes with their speakers, as JSON.
  FILE (or stdin when absent) is one document of UTF-8 text; with --jsonl, JSON Lines
  {\"id\": ..., \"text\": \"...\"}, one output line per input line, in input order. Offsets are
  Unicode code points, end exclusive. Texts over 20 MB are refused.
  --threads N   annotate on N threads (default: every core)
  --progress    report documents, MB/s and the ETA on stderr (default: only when stderr is a terminal)";

/// A JSON line may be longer than its text (escapes): allow for that, but not without bound.
const MAX_LINE_BYTES: usize = 3 * MAX_TEXT_BYTES;

/// A batch closes when its lines reach this many bytes (or [`BATCH_LINES`] lines): large enough
/// that handing batches between threads costs nothing measurable, small enough that the workers
/// share the work evenly to the end and the output flows (~25 ms of work at 10 MB/s).
const BATCH_BYTES: usize = 256 << 10;
const BATCH_LINES: usize = 1024;

/// Batches read but not yet written, per worker thread. Bounds memory on an endless stream:
/// about `threads × IN_FLIGHT_PER_THREAD × (BATCH_BYTES + its output)` when lines are short.
const IN_FLIGHT_PER_THREAD: usize = 3;

struct Options {
    jsonl: bool,
    threads: usize,
    progress: bool,
    file: Option<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_args(&args) {
        Ok(Some(options)) => options,
        Ok(None) => return ExitCode::SUCCESS, // --help or --version
        Err(message) => {
            eprintln!("pressmark: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (input, size): (Box<dyn Read + Send>, Option<u64>) = match options.file.as_deref() {
        None | Some("-") => (Box::new(io::stdin()), stdin_size()),
        Some(path) => match File::open(path) {
            Ok(f) => {
                let size = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
                (Box::new(f), size)
            }
            Err(e) => {
                eprintln!("pressmark: cannot open {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let stdout = io::stdout().lock();
    let result = if options.jsonl {
        let progress = (options.progress || io::stderr().is_terminal()).then(|| Progress::new(size));
        annotate_lines(input, stdout, options.threads, progress)
    } else {
        annotate_one(input, stdout)
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        // A closed pipe (`pressmark … | head`) is the reader's choice, not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pressmark: {e}");
            ExitCode::from(1)
        }
    }
}

/// Ok(None) when the arguments asked for help or the version, which this prints.
fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options { jsonl: false, threads: 0, progress: false, file: None };
    let mut command = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline_value) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("pressmark {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "--jsonl" => options.jsonl = true,
            "--progress" => options.progress = true,
            "--threads" => {
                let value = inline_value
                    .or_else(|| args.next().cloned())
                    .ok_or("--threads needs a number of threads")?;
                options.threads = match value.parse::<usize>() {
                    Ok(n) if n > 0 => n,
                    _ => return Err(format!("--threads takes a whole number ≥ 1, not {value:?}")),
                };
            }
            a if a.starts_with('-') && a != "-" => return Err(format!("unknown option {a}")),
            a if command.is_none() => command = Some(a.to_string()),
            a if options.file.is_none() => options.file = Some(a.to_string()),
            a => return Err(format!("unexpected argument {a}")),
        }
    }
    match command.as_deref() {
        Some("annotate") => {}
        Some(c) => return Err(format!("unknown command {c}")),
        None => return Err("no command given".to_string()),
    }
    if options.threads == 0 {
        options.threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    }
    Ok(Some(options))
}

/// The size of stdin when it is a regular file (`pressmark … < big.jsonl`), for the ETA.
fn stdin_size() -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
        let meta = File::from(fd).metadata().ok()?;
        meta.is_file().then_some(meta.len())
    }
    #[cfg(not(unix))]
    None
}

/// One whole document in, one JSON object out. Returns Ok(false) when the input was refused.
fn annotate_one(mut input: impl Read, mut out: impl Write) -> io::Result<bool> {
    let mut bytes = Vec::new();
    input.by_ref().take(MAX_TEXT_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > MAX_TEXT_BYTES {
        eprintln!(
            "pressmark: input is over {} MB; the limit is {} MB",
            MAX_TEXT_BYTES >> 20,
            MAX_TEXT_BYTES >> 20
        );
        return Ok(false);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "pressmark: input is not valid UTF-8 (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            );
            return Ok(false);
        }
    };
    let doc = pressmark::annotate(&text);
    let mut line = Vec::new();
    JsonWriter::new(&mut line, true).document(&WireDocument::new(&text, &doc, Unit::CodePoint));
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()?;
    Ok(true)
}

/// An input line as the reader hands it to a worker.
enum RawLine {
    Bytes(Vec<u8>),
    /// Longer than [`MAX_LINE_BYTES`]: skipped by the reader, its length kept for the message.
    TooLong(usize),
}

/// Consecutive input lines, with their 1-based numbers.
struct Batch {
    lines: Vec<(usize, RawLine)>,
    /// Input bytes the batch covers (newlines and blank lines included), for the progress report.
    bytes: u64,
}

/// What a worker made of a batch: whole output lines, and the errors to report between them.
struct BatchOutput {
    json: Vec<u8>,
    /// (position in `json` where the message belongs, the message with its line number).
    errors: Vec<(usize, String)>,
    documents: u64,
}

/// The JSON Lines pipeline. Returns Ok(false) when at least one line was refused.
fn annotate_lines(
    input: Box<dyn Read + Send>,
    out: impl Write,
    threads: usize,
    progress: Option<Progress>,
) -> io::Result<bool> {
    let in_flight = threads * IN_FLIGHT_PER_THREAD;
    // The writer receives, in input order, one receiver per batch: the batch's output arrives on it
    // when a worker is done. The bound on this channel is the bound on batches in flight.
    let (order_tx, order_rx) = mpsc::sync_channel::<(Receiver<BatchOutput>, u64)>(in_flight);
    let (work_tx, work_rx) = mpsc::sync_channel::<(Batch, SyncSender<BatchOutput>)>(threads);
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|scope| {
        let reader =
            scope.spawn(move || read_batches(BufReader::with_capacity(1 << 20, input), order_tx, work_tx));
        for _ in 0..threads {
            let work_rx = &work_rx;
            scope.spawn(move || loop {
                let job = work_rx.lock().map_err(|_| ()).and_then(|rx| rx.recv().map_err(|_| ()));
                let Ok((batch, reply)) = job else { break };
                // The writer may have stopped (broken pipe): then nobody wants this output.
                let _ = reply.send(annotate_batch(batch));
            });
        }
        let written = write_batches(order_rx, out, progress);
        // The reader stops when the writer is gone (its sends fail), so joining cannot hang.
        let read = reader.join().unwrap_or_else(|_| Err(io::Error::other("the input reader panicked")));
        let all_ok = written?;
        read?;
        Ok(all_ok)
    })
}

/// Reads lines into batches and hands each to the workers, registering it with the writer first.
fn read_batches(
    mut input: impl BufRead,
    order_tx: SyncSender<(Receiver<BatchOutput>, u64)>,
    work_tx: SyncSender<(Batch, SyncSender<BatchOutput>)>,
) -> io::Result<()> {
    let mut line_no = 0;
    let mut batch = Batch { lines: Vec::new(), bytes: 0 };
    let mut batch_bytes = 0;
    loop {
        let mut line = Vec::new();
        let read = read_line_capped(&mut input, &mut line, MAX_LINE_BYTES)?;
        let at_end = matches!(read, LineRead::Eof);
        match read {
            LineRead::Eof => {}
            LineRead::TooLong(n) => {
                line_no += 1;
                batch.bytes += n as u64 + 1;
                batch.lines.push((line_no, RawLine::TooLong(n)));
            }
            LineRead::Line => {
                line_no += 1;
                batch.bytes += line.len() as u64 + 1;
                // Blank lines carry no request.
                if !line.iter().all(u8::is_ascii_whitespace) {
                    batch_bytes += line.len();
                    batch.lines.push((line_no, RawLine::Bytes(line)));
                }
            }
        }
        let full = batch_bytes >= BATCH_BYTES || batch.lines.len() >= BATCH_LINES;
        if (full || at_end) && batch.bytes > 0 {
            let (reply_tx, reply_rx) = mpsc::sync_channel(1);
            let bytes = batch.bytes;
            let ready = std::mem::replace(&mut batch, Batch { lines: Vec::new(), bytes: 0 });
            batch_bytes = 0;
            // Either send fails only when the writer has stopped: nothing more to do.
            if order_tx.send((reply_rx, bytes)).is_err() || work_tx.send((ready, reply_tx)).is_err() {
                return Ok(());
            }
        }
        if at_end {
            return Ok(());
        }
    }
}

/// Parses and annotates every line of a batch (on a worker thread).
fn annotate_batch(batch: Batch) -> BatchOutput {
    #[derive(serde::Deserialize)]
    struct Request {
        id: serde_json::Value,
        text: Option<String>,
    }
    let mut output = BatchOutput { json: Vec::new(), errors: Vec::new(), documents: 0 };
    for (line_no, line) in batch.lines {
        let request = match line {
            RawLine::TooLong(n) => {
                Err(format!("line is {} MB; the limit is {} MB", n >> 20, MAX_LINE_BYTES >> 20))
            }
            RawLine::Bytes(line) => std::str::from_utf8(&line)
                .map_err(|e| format!("not valid UTF-8 (bad byte at column {})", e.valid_up_to() + 1))
                .and_then(|s| serde_json::from_str::<Request>(s).map_err(|e| format!("invalid JSON: {e}")))
                .and_then(|req| match req.text {
                    None => Err("no \"text\" field (expected {\"id\": ..., \"text\": \"...\"})".to_string()),
                    Some(t) if t.len() > MAX_TEXT_BYTES => {
                        Err(format!("text is {} MB; the limit is {} MB", t.len() >> 20, MAX_TEXT_BYTES >> 20))
                    }
                    Some(t) => Ok((req.id, t)),
                }),
        };
        let result = request.and_then(|(id, text)| {
            // A panic is a bug in pressmark, not in the input: report it for this line and go on.
            let doc = std::panic::catch_unwind(|| pressmark::annotate(&text)).map_err(|_| {
                "internal error (a bug in pressmark; please report it with this input)".to_string()
            })?;
            // {"id": …, then the document's members}: what serde_json wrote for the id and the
            // flattened document, the document by the hand-written writer
            let before = output.json.len();
            output.json.extend_from_slice(b"{\"id\":");
            id.serialize(&mut serde_json::Serializer::with_formatter(&mut output.json, LineSafeJson))
                .map_err(|e| {
                    output.json.truncate(before); // whole lines only
                    format!("cannot write the output: {e}")
                })?;
            output.json.push(b',');
            JsonWriter::new(&mut output.json, true).document_fields(&WireDocument::new(
                &text,
                &doc,
                Unit::CodePoint,
            ));
            output.json.extend_from_slice(b"}\n");
            Ok(())
        });
        match result {
            Ok(()) => output.documents += 1,
            Err(message) => output.errors.push((output.json.len(), format!("line {line_no}: {message}"))),
        }
    }
    output
}

/// Writes each batch's output in input order, its errors on stderr at their place. Returns
/// Ok(false) when a line was refused.
fn write_batches(
    order_rx: Receiver<(Receiver<BatchOutput>, u64)>,
    out: impl Write,
    mut progress: Option<Progress>,
) -> io::Result<bool> {
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut all_ok = true;
    for (reply_rx, bytes) in order_rx {
        // A worker that panicked outside `catch_unwind` drops its reply: a bug, reported as such.
        let batch = reply_rx.recv().unwrap_or_else(|_| BatchOutput {
            json: Vec::new(),
            errors: vec![(0, "internal error in a worker thread (a bug in pressmark)".to_string())],
            documents: 0,
        });
        let mut written = 0;
        for (at, message) in &batch.errors {
            all_ok = false;
            out.write_all(&batch.json[written..*at])?;
            written = *at;
            // The output lines before the message come first, as on a terminal they should.
            out.flush()?;
            eprintln!("pressmark: {message}");
        }
        out.write_all(&batch.json[written..])?;
        if let Some(p) = progress.as_mut() {
            p.advance(batch.documents, bytes);
        }
    }
    out.flush()?;
    if let Some(p) = progress.as_mut() {
        p.finish();
    }
    Ok(all_ok)
}

/// Documents, MB/s and (when the input size is known) the ETA on stderr: one updated line on a
/// terminal, a line every few seconds otherwise (`--progress` into a log).
struct Progress {
    total_bytes: Option<u64>,
    start: Instant,
    last_report: Instant,
    documents: u64,
    bytes: u64,
    terminal: bool,
}

impl Progress {
    fn new(total_bytes: Option<u64>) -> Progress {
        let now = Instant::now();
        Progress {
            total_bytes,
            start: now,
            last_report: now,
            documents: 0,
            bytes: 0,
            terminal: io::stderr().is_terminal(),
        }
    }

    fn advance(&mut self, documents: u64, bytes: u64) {
        self.documents += documents;
        self.bytes += bytes;
        let every = if self.terminal { Duration::from_millis(250) } else { Duration::from_secs(2) };
        if self.last_report.elapsed() >= every {
            self.last_report = Instant::now();
            self.report(false);
        }
    }

    fn finish(&mut self) {
        self.report(true);
    }

    fn report(&self, done: bool) {
        let seconds = self.start.elapsed().as_secs_f64();
        let line = progress_line(self.documents, self.bytes, self.total_bytes, seconds, done);
        let mut err = io::stderr().lock();
        // A failing stderr must not stop the annotation.
        let _ = if self.terminal {
            write!(err, "\r{line}\x1b[K{}", if done { "\n" } else { "" })
        } else {
            writeln!(err, "{line}")
        };
    }
}

/// "pressmark: 2187 documents, 10.0 MB, 9.1 MB/s, 40 %, ETA 0:02" (the share and ETA only
/// while running, once the input size is known and reading has begun; the time taken once done).
fn progress_line(documents: u64, bytes: u64, total_bytes: Option<u64>, seconds: f64, done: bool) -> String {
    let seconds = seconds.max(1e-3);
    let mb = bytes as f64 / 1e6;
    let mut line = format!("pressmark: {documents} documents, {mb:.1} MB, {:.1} MB/s", mb / seconds);
    if done {
        line += &format!(", {seconds:.1} s");
    } else if let Some(total) = total_bytes.filter(|&t| t > 0 && bytes > 0) {
        let share = (bytes as f64 / total as f64).min(1.0);
        let left = total.saturating_sub(bytes) as f64 / (bytes as f64 / seconds).max(1.0);
        line += &format!(", {:.0} %, ETA {}", share * 100.0, clock(left));
    }
    line
}

/// Seconds as "1:02:03" or "2:03".
fn clock(seconds: f64) -> String {
    let s = seconds.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

enum LineRead {
    Eof,
    Line,
    /// The line was longer than the cap; it was skipped up to its newline. Holds its length.
    TooLong(usize),
}

/// Reads one line (without its `\n`) into `line`, refusing to hold more than `cap` bytes.
fn read_line_capped(input: &mut impl BufRead, line: &mut Vec<u8>, cap: usize) -> io::Result<LineRead> {
    line.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(match (any, total > cap) {
                (false, _) => LineRead::Eof,
                (true, true) => LineRead::TooLong(total),
                (true, false) => LineRead::Line,
            });
        }
        any = true;
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        total += chunk.len();
        if total <= cap {
            line.extend_from_slice(chunk);
        } else if !line.is_empty() {
            *line = Vec::new(); // give the memory back while skipping
        }
        let used = done.unwrap_or(buf.len());
        input.consume(used);
        if done.is_some() {
            return Ok(if total > cap { LineRead::TooLong(total) } else { LineRead::Line });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines() {
        let cases = [
            (
                (10, 4_000_000, Some(10_000_000), 2.0, false),
                "pressmark: 10 documents, 4.0 MB, 2.0 MB/s, 40 %, ETA 0:03",
            ),
            ((10, 4_000_000, None, 2.0, false), "pressmark: 10 documents, 4.0 MB, 2.0 MB/s"),
            (
                (7, 1_000_000, Some(8_000_000_000), 1.0, false),
                "pressmark: 7 documents, 1.0 MB, 1.0 MB/s, 0 %, ETA 2:13:19",
            ),
            (
                (99, 10_000_000, Some(10_000_000), 4.0, true),
                "pressmark: 99 documents, 10.0 MB, 2.5 MB/s, 4.0 s",
            ),
            ((0, 0, Some(5), 0.0, false), "pressmark: 0 documents, 0.0 MB, 0.0 MB/s"),
        ];
        for ((docs, bytes, total, seconds, done), want) in cases {
            assert_eq!(progress_line(docs, bytes, total, seconds, done), want);
        }
    }

    #[test]
    fn line_breaks_are_escaped_and_the_rest_is_serde_json() {
        let value = serde_json::json!({"a": "x\u{2028}y\u{2029}z\u{85}é\u{2027}\"\n", "b": [1.5, null]});
        let mut out = Vec::new();
        value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, LineSafeJson)).unwrap();
        let want = "{\"a\":\"x\\u2028y\\u2029z\\u0085é\u{2027}\\\"\\n\",\"b\":[1.5,null]}";
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }
}
