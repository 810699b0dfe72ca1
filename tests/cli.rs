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

/// JSON Lines of real articles (the PolNeAR dev set in ../shared), each twice, with ids.
fn polnear_dev_lines() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/polnear/dev.jsonl");
    let data = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path} is needed: {e}"));
    let mut input = Vec::new();
    for round in 0..2 {
        for (n, line) in data.lines().filter(|l| !l.trim().is_empty()).enumerate() {
            let text = serde_json::from_str::<serde_json::Value>(line).unwrap()["text"].clone();
            let request = serde_json::json!({"id": format!("{round}-{n}"), "text": text});
            input.extend_from_slice(request.to_string().as_bytes());
            input.push(b'\n');
        }
    }
    input
}

#[test]
fn every_thread_count_gives_the_same_output_in_input_order() {
    let input = polnear_dev_lines();
    let (code, one, err) = run(&["annotate", "--jsonl", "--threads", "1"], &input);
    assert_eq!((code, err.as_str()), (0, ""));
    let ids: Vec<String> = one
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    let n = ids.len() / 2;
    assert!(n >= 50, "{n} articles");
    assert_eq!(ids[..3], ["0-0", "0-1", "0-2"]);
    assert_eq!(ids[n], "1-0");
    for threads in [&["--threads", "2"][..], &["--threads=3"], &[]] {
        let args: Vec<&str> = ["annotate", "--jsonl"].iter().chain(threads).copied().collect();
        let (code, out, _) = run(&args, &input);
        assert_eq!(code, 0);
        assert!(out == one, "{threads:?} changed the output");
    }
}

#[test]
fn bad_lines_are_reported_in_order_with_threads() {
    // More lines than one batch holds, with bad lines spread through them.
    let mut input = Vec::new();
    let mut bad = Vec::new();
    for n in 1..=3000 {
        if n % 700 == 0 {
            input.extend_from_slice(b"{\"id\": oops}\n");
            bad.push(n);
        } else {
            input.extend_from_slice(format!("{{\"id\": {n}, \"text\": \"Jane Smith, {n}.\"}}\n").as_bytes());
        }
    }
    let (code, out, err) = run(&["annotate", "--jsonl", "--threads", "2"], &input);
    assert_eq!(code, 1);
    let ids: Vec<u64> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_u64().unwrap())
        .collect();
    let want: Vec<u64> = (1..=3000).filter(|n| n % 700 != 0).collect();
    assert!(ids == want, "the output lines are the good input lines, in order");
    let reported: Vec<&str> = err.lines().collect();
    assert_eq!(reported.len(), bad.len(), "{err}");
    for (line, n) in reported.iter().zip(&bad) {
        assert!(line.starts_with(&format!("pressmark: line {n}: invalid JSON")), "{line}");
    }
}

#[test]
fn unicode_line_separators_are_escaped_in_the_output() {
    let input = "{\"id\": \"a\u{2028}b\", \"text\": \"Jane Smith\u{2028}said \u{201c}no\u{2029}way\u{0085}now\u{201d} in Paris.\"}\n";
    for args in [&["annotate", "--jsonl"][..], &["annotate", "--jsonl", "--threads", "1"]] {
        let (code, out, _) = run(args, input.as_bytes());
        assert_eq!(code, 0);
        assert!(!out.contains(['\u{2028}', '\u{2029}', '\u{85}']), "{out}");
        assert!(out.contains("\\u2028") && out.contains("\\u2029") && out.contains("\\u0085"), "{out}");
        assert_eq!(out.lines().count(), 1);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["id"], "a\u{2028}b");
        let quote = &doc["quotes"][0]["text"];
        assert_eq!(quote, "no\u{2029}way\u{85}now", "{out}");
    }
    let (_, out, _) = run(&["annotate"], "\u{201c}No\u{2028}way,\u{201d} said Jane Smith.".as_bytes());
    assert!(out.contains("\\u2028") && !out.contains('\u{2028}'), "{out}");
}

#[test]
fn progress_goes_to_stderr_only_when_asked_for() {
    let input = polnear_dev_lines();
    let (code, plain, err) = run(&["annotate", "--jsonl"], &input);
    assert_eq!((code, err.as_str()), (0, ""), "silent when stderr is not a terminal");
    let (code, out, err) = run(&["annotate", "--jsonl", "--progress"], &input);
    assert_eq!(code, 0);
    assert!(out == plain, "--progress changes nothing on stdout");
    let last = err.lines().last().unwrap_or_default();
    let docs = plain.lines().count();
    assert!(last.starts_with(&format!("pressmark: {docs} documents, ")), "{err}");
    assert!(last.contains(" MB/s"), "{err}");
}

#[test]
fn threads_must_be_a_positive_number() {
    for args in [
        &["annotate", "--jsonl", "--threads", "0"][..],
        &["annotate", "--threads=x"],
        &["annotate", "--threads"],
    ] {
        let (code, _, err) = run(args, b"");
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("--threads"), "{err}");
    }
}
