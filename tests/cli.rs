//! The CLI protocol, run as a user runs it: the release or debug binary on stdin.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pressmark"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the pressmark binary runs");
    let mut stdin_pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin_pipe.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn jsonl_echoes_ids_and_reports_bad_lines_by_number() {
    let input = b"{\"id\": 7, \"text\": \"\"}\nnot json\n{\"id\": \"a\"}\n{\"id\": [1,{\"x\":null}], \"text\": \"Hi \xf0\x9f\x91\x8d.\"}\n\xff\xfe\n";
    let (code, out, err) = run(&["annotate", "--jsonl"], input);
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "one output line per good input line: {out}");
    assert_eq!(lines[0]["id"], serde_json::json!(7));
    assert_eq!(lines[0]["entities"], serde_json::json!([]));
    assert_eq!(lines[0]["quotes"], serde_json::json!([]));
    assert_eq!(lines[1]["id"], serde_json::json!([1, {"x": null}]));
    assert_eq!(code, 1);
    for n in ["line 2: invalid JSON", "line 3: no \"text\"", "line 5: not valid UTF-8"] {
        assert!(err.contains(n), "stderr names {n:?}: {err}");
    }
}

#[test]
fn single_document_mode_refuses_invalid_utf8() {
    let (code, out, err) = run(&["annotate"], b"caf\xe9");
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("not valid UTF-8"), "{err}");
    let (code, out, _) = run(&["annotate"], "Ok.".as_bytes());
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(doc.get("id").is_none() && doc["entities"].is_array());
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["frobnicate"], b"").0, 2);
    assert_eq!(run(&["annotate", "--bogus"], b"").0, 2);
}

#[test]
fn a_line_over_the_limit_is_refused_and_the_next_one_still_runs() {
    // 100 MB of text on one line: refused with its size, without holding it all in memory.
    let mut input = Vec::with_capacity(101 << 20);
    input.extend_from_slice(b"{\"id\": 1, \"text\": \"");
    input.resize(input.len() + (100 << 20), b'a');
    input.extend_from_slice(b"\"}\n{\"id\": 2, \"text\": \"Fine.\"}\n");
    let (code, out, err) = run(&["annotate", "--jsonl"], &input);
    assert_eq!(code, 1);
    assert!(err.contains("line 1: line is 100 MB; the limit is 60 MB"), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(lines[0].starts_with("{\"id\":2,"), "{out}");
}

#[test]
fn a_text_over_the_limit_in_a_short_enough_line_is_refused() {
    let mut input = b"{\"id\": \"big\", \"text\": \"".to_vec();
    input.resize(input.len() + (21 << 20), b' ');
    input.extend_from_slice(b"\"}\n");
    let (code, out, err) = run(&["annotate", "--jsonl"], &input);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("line 1: text is 21 MB; the limit is 20 MB"), "{err}");
}
