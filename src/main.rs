//! `pressmark`, the command line: batch annotation in the wire schema of [`pressmark::output`].
//!
//! ```text
//! pressmark annotate [FILE]        one document (FILE or stdin) → one JSON object
//! pressmark annotate --jsonl [FILE] JSON Lines {"id": <any>, "text": "<string>"} → one line each,
//!                                   in input order, "id" echoed unchanged
//! ```
//! Offsets are Unicode code points. A bad input line (invalid UTF-8 or JSON, no "text", too long)
//! is reported on stderr with its line number and produces no output line; the other lines are
//! still processed and the exit code is 1 at the end. Usage errors exit with 2. This file holds
//! no NLP logic: it reads, calls [`pressmark::annotate`], and writes.

use pressmark::offsets::Unit;
use pressmark::output::WireDocument;
use pressmark::MAX_TEXT_BYTES;
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: pressmark annotate [--jsonl] [FILE]
  Annotates a news article: entities and quotes with their speakers, as JSON.
  FILE (or stdin when absent) is one document of UTF-8 text; with --jsonl, JSON Lines
  {\"id\": ..., \"text\": \"...\"}, one output line per input line. Offsets are Unicode
  code points, end exclusive. Texts over 20 MB are refused.";

/// A JSON line may be longer than its text (escapes): allow for that, but not without bound.
const MAX_LINE_BYTES: usize = 3 * MAX_TEXT_BYTES;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut jsonl = false;
    let mut file = None;
    let mut command = None;
    for arg in &args {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "-V" | "--version" => {
                println!("pressmark {}", env!("CARGO_PKG_VERSION"));
                return ExitCode::SUCCESS;
            }
            "--jsonl" => jsonl = true,
            a if a.starts_with('-') && a != "-" => return usage_error(&format!("unknown option {a}")),
            a if command.is_none() => command = Some(a.to_string()),
            a if file.is_none() => file = Some(a.to_string()),
            a => return usage_error(&format!("unexpected argument {a}")),
        }
    }
    if command.as_deref() != Some("annotate") {
        return usage_error(&match command {
            Some(c) => format!("unknown command {c}"),
            None => "no command given".to_string(),
        });
    }
    let input: Box<dyn Read> = match file.as_deref() {
        None | Some("-") => Box::new(io::stdin().lock()),
        Some(path) => match File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("pressmark: cannot open {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let stdout = io::stdout().lock();
    let result =
        if jsonl { annotate_lines(BufReader::new(input), stdout) } else { annotate_one(input, stdout) };
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

fn usage_error(message: &str) -> ExitCode {
    eprintln!("pressmark: {message}\n{USAGE}");
    ExitCode::from(2)
}

/// One whole document in, one JSON object out. Returns Ok(false) when the input was refused.
fn annotate_one(mut input: impl Read, out: impl Write) -> io::Result<bool> {
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
    let mut out = BufWriter::new(out);
    serde_json::to_writer(&mut out, &WireDocument::new(&text, &doc, Unit::CodePoint))?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(true)
}

/// The JSON Lines loop. Returns Ok(false) when at least one line was refused.
fn annotate_lines(mut input: impl BufRead, out: impl Write) -> io::Result<bool> {
    #[derive(serde::Deserialize)]
    struct Request {
        id: serde_json::Value,
        text: Option<String>,
    }
    #[derive(Serialize)]
    struct Response<'t> {
        id: &'t serde_json::Value,
        #[serde(flatten)]
        doc: WireDocument<'t>,
    }
    let mut out = BufWriter::new(out);
    let mut all_ok = true;
    let mut line = Vec::new();
    let mut line_no = 0;
    let mut response = Vec::new();
    loop {
        line_no += 1;
        let read = read_line_capped(&mut input, &mut line, MAX_LINE_BYTES)?;
        let outcome = match read {
            LineRead::Eof => break,
            LineRead::TooLong(n) => {
                Err(format!("line is {} MB; the limit is {} MB", n >> 20, MAX_LINE_BYTES >> 20))
            }
            LineRead::Line => {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue; // blank lines carry no request
                }
                std::str::from_utf8(&line)
                    .map_err(|e| format!("not valid UTF-8 (bad byte at column {})", e.valid_up_to() + 1))
                    .and_then(|s| {
                        serde_json::from_str::<Request>(s).map_err(|e| format!("invalid JSON: {e}"))
                    })
                    .and_then(|req| match req.text {
                        None => {
                            Err("no \"text\" field (expected {\"id\": ..., \"text\": \"...\"})".to_string())
                        }
                        Some(t) if t.len() > MAX_TEXT_BYTES => Err(format!(
                            "text is {} MB; the limit is {} MB",
                            t.len() >> 20,
                            MAX_TEXT_BYTES >> 20
                        )),
                        Some(t) => Ok((req.id, t)),
                    })
            }
        };
        match outcome {
            Ok((id, text)) => {
                // A panic is a bug in pressmark, not in the input: report it for this line and go on.
                let Ok(doc) = std::panic::catch_unwind(|| pressmark::annotate(&text)) else {
                    all_ok = false;
                    out.flush()?;
                    eprintln!("pressmark: line {line_no}: internal error (a bug in pressmark; please report it with this input)");
                    continue;
                };
                response.clear();
                serde_json::to_writer(
                    &mut response,
                    &Response { id: &id, doc: WireDocument::new(&text, &doc, Unit::CodePoint) },
                )?;
                response.push(b'\n');
                out.write_all(&response)?; // whole lines only
            }
            Err(message) => {
                all_ok = false;
                out.flush()?;
                eprintln!("pressmark: line {line_no}: {message}");
            }
        }
    }
    out.flush()?;
    Ok(all_ok)
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
