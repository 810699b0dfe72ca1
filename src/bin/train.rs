//! Trains the names model: `cargo run --release --features train --bin train -- [options]`.
//!
//! Options: `--seed N` (1), `--epochs N` (12), `--bits N` (18), `--prune F` (0.7),
//! `--ensemble N` (3), `--no-train-lists`, `--augment` (tried: hurts dev and the seed article),
//! `--train PATH`, `--extra PATH` (repeatable: more CoNLL-layout training files), `--extra-lists PATH` (repeatable: only their entity strings join the hashed lists), `--dev PATH` (default `../shared/data/conll2003/{train,dev}.txt` beside the
//! repository, or under `$PRESSMARK_SHARED`), `--res PATH` (`src/entity/names.res`),
//! `--out PATH` (`src/entity/names.model`), `--no-write`.
//!
//! `--prune 0.7` sets the smallest 70 % of the non-zero int8 weights to 0: the shipped model is
//! 88 KB smaller gzipped (232 → 144 KB) at equal CoNLL dev and news-dev F1 (docs/performance.md, round 5).

use pressmark::train::{train, Config};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared =
        std::env::var_os("PRESSMARK_SHARED").map(PathBuf::from).unwrap_or_else(|| root.join("../shared"));
    let mut cfg = Config {
        train: shared.join("data/conll2003/train.txt"),
        extra: Vec::new(),
        extra_lists: Vec::new(),
        dev: shared.join("data/conll2003/dev.txt"),
        resources: root.join("src/entity/names.res"),
        out: Some(root.join("src/entity/names.model")),
        seed: 1,
        epochs: 12,
        bits: 18,
        train_lists: true,
        prune: 0.7,
        ensemble: 3,
        augment: false,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().ok_or_else(|| format!("{a} needs a value"));
        let r: Result<(), String> = (|| {
            match a.as_str() {
                "--seed" => cfg.seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
                "--epochs" => cfg.epochs = val()?.parse().map_err(|e| format!("--epochs: {e}"))?,
                "--bits" => cfg.bits = val()?.parse().map_err(|e| format!("--bits: {e}"))?,
                "--prune" => cfg.prune = val()?.parse().map_err(|e| format!("--prune: {e}"))?,
                "--ensemble" => cfg.ensemble = val()?.parse().map_err(|e| format!("--ensemble: {e}"))?,
                "--augment" => cfg.augment = true,
                "--no-train-lists" => cfg.train_lists = false,
                "--train" => cfg.train = PathBuf::from(val()?),
                "--extra" => cfg.extra.push(PathBuf::from(val()?)),
                "--extra-lists" => cfg.extra_lists.push(PathBuf::from(val()?)),
                "--dev" => cfg.dev = PathBuf::from(val()?),
                "--res" => cfg.resources = PathBuf::from(val()?),
                "--out" => cfg.out = Some(PathBuf::from(val()?)),
                "--no-write" => cfg.out = None,
                other => return Err(format!("unknown option {other}")),
            }
            Ok(())
        })();
        if let Err(e) = r {
            eprintln!("train: {e}");
            return ExitCode::from(2);
        }
    }
    match train(&cfg) {
        Ok(o) => {
            println!("seed {} epoch {} bytes {}", cfg.seed, o.epoch, o.bytes);
            print!("{}", o.dev.report());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("train: {e}");
            ExitCode::from(1)
        }
    }
}
