//! Reads kept off the interface thread, so that keys never wait for them:
//! search as you type, the monthly analysis. A screen submits a job; on the
//! reader thread (its own read-only connection) the job's answer comes back
//! to the loop as a message, and meanwhile the screen draws what it has.
//!
//! Jobs that pile up while one runs are coalesced per kind: only the newest
//! search and the newest analysis are run, so fast typing or paging through
//! months costs one read, not one per key.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};

use rusqlite::Connection;

use crate::db::Store;
use crate::event::Notifier;
use crate::msg::Msg;

/// A read and the message that carries its answer. It gets no connection when
/// the reader thread could not open one; its answer then says "not found", and
/// the screen reads for itself.
pub type Job = Box<dyn FnOnce(Option<&Connection>) -> Msg + Send>;

/// Where a screen's reads run.
#[derive(Clone, Default)]
pub enum Reader {
    /// Here and now: tests, and when no thread could start.
    #[default]
    Inline,
    /// On the reader thread.
    Background(Sender<(&'static str, Job)>),
}

impl Reader {
    /// Starts the reader thread on the database at `path`.
    pub fn start(path: PathBuf, notifier: Notifier) -> Reader {
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new().name("kam-reader".into()).spawn(move || serve(&path, &rx, &notifier));
        match spawned {
            Ok(_) => Reader::Background(tx),
            Err(_) => Reader::Inline,
        }
    }

    /// Runs `job`: inline on `conn`, returning its answer for the caller to take
    /// at once; or on the reader thread, returning None (the answer comes as a
    /// message). `kind` names what newer jobs replace older ones.
    pub fn submit(&self, conn: &Connection, kind: &'static str, job: Job) -> Option<Msg> {
        match self {
            Reader::Background(thread) => match thread.send((kind, job)) {
                Ok(()) => None,
                // The thread is gone: the job comes back inside the error.
                Err(mpsc::SendError((_, job))) => Some(job(Some(conn))),
            },
            Reader::Inline => Some(job(Some(conn))),
        }
    }
}

fn serve(path: &Path, jobs: &Receiver<(&'static str, Job)>, notifier: &Notifier) {
    // Opened here, not at start-up, so the first frame does not wait for it.
    let store = Store::open_reader(path).ok();
    while let Ok(first) = jobs.recv() {
        let mut newest: Vec<(&'static str, Job)> = vec![first];
        while let Ok((kind, job)) = jobs.try_recv() {
            newest.retain(|(k, _)| *k != kind);
            newest.push((kind, job));
        }
        for (_, job) in newest {
            if !notifier.send(job(store.as_ref().map(Store::conn))) {
                return;
            }
        }
    }
}
