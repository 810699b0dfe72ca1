//! Long-lived annotating threads for `annotate_many`.
//!
//! The names model keeps a per-thread memo of the words it has seen (`src/entity/model.rs`);
//! threads started afresh for each call begin with an empty one, which cost 5–8 % more CPU in
//! calls of 20 articles (measured at load 4 when this was written). These threads live as long
//! as the process and run one job after another, so their memos stay warm from call to call. A
//! process forked after they started (multiprocessing, a Spark worker daemon) has none of them:
//! it notices by its process id and starts its own.

use std::io;
use std::sync::mpsc::{self, Sender};
use std::sync::{Mutex, PoisonError};

pub type Job = Box<dyn FnOnce() + Send>;

struct Pool {
    /// The process the threads belong to.
    pid: u32,
    workers: Vec<Sender<Job>>,
}

static POOL: Mutex<Option<Pool>> = Mutex::new(None);

fn spawn_worker(n: usize) -> io::Result<Sender<Job>> {
    let (tx, rx) = mpsc::channel::<Job>();
    std::thread::Builder::new().name(format!("pressmark-{n}")).spawn(move || {
        for job in rx {
            job();
        }
    })?;
    Ok(tx)
}

/// Runs `jobs` on as many pool threads (the first ones, started when missing), one each; a job
/// waits for the one before it on its thread (another call's) to end. Fails only when a thread
/// cannot be started; the jobs handed over by then still run.
pub fn run(jobs: Vec<Job>) -> io::Result<()> {
    let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    let pid = std::process::id();
    if pool.as_ref().is_some_and(|p| p.pid != pid) {
        // Forked: the senders lead to threads of the parent, which this process does not have.
        std::mem::forget(pool.take());
    }
    let pool = pool.get_or_insert_with(|| Pool { pid, workers: Vec::new() });
    for (n, job) in jobs.into_iter().enumerate() {
        if pool.workers.len() <= n {
            pool.workers.push(spawn_worker(n)?);
        }
        if let Err(mpsc::SendError(job)) = pool.workers[n].send(job) {
            // The thread has ended (a job panicked past its guard): a new one takes its place.
            pool.workers[n] = spawn_worker(n)?;
            pool.workers[n]
                .send(job)
                .map_err(|_| io::Error::other("a new pressmark thread ended at once"))?;
        }
    }
    Ok(())
}
