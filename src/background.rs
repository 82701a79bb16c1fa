//! Reads kept off the interface thread, so that keys never wait for them:
//! search as you type, the monthly analysis. A screen submits a job; on the
//! reader thread (its own read-only connection) the job's answer comes back
//! to the loop as a message, and meanwhile the screen draws what it has.
//!
//! Jobs that pile up while one runs are coalesced per kind: only the newest
//! search and the newest analysis are run, so fast typing or paging through
//! months costs one read, not one per key.
//!
//! Dropping the reader stops its thread and waits for it, so its connection
//! is closed before the main one: the main connection is then the last one
//! out and leaves the whole database in the main file (a read-only
//! connection closing last cannot checkpoint, which left recent work only in
//! `kam.db-wal` after everyone had quit; issue 12).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::db::{Conn, Interrupter, Location, Store};
use crate::event::Notifier;
use crate::msg::Msg;

/// A read and the message that carries its answer. It gets no connection when
/// the reader thread could not open one; its answer then says "not found", and
/// the screen reads for itself.
pub type Job = Box<dyn FnOnce(Option<&Conn>) -> Msg + Send>;

/// Where a screen's reads run.
#[derive(Default)]
pub enum Reader {
    /// Here and now: tests, and when no thread could start.
    #[default]
    Inline,
    /// On the reader thread.
    Background(Thread),
}

/// The reader thread: where jobs go, and what stopping it needs.
pub struct Thread {
    jobs: Option<Sender<(&'static str, Job)>>,
    handle: Option<JoinHandle<()>>,
    /// Set when the reader is dropped: jobs still queued are not run.
    stopping: Arc<AtomicBool>,
    /// Interrupts the read running when the reader is dropped (a big analysis
    /// would otherwise hold up quitting).
    interrupt: Arc<Mutex<Option<Interrupter>>>,
}

impl Drop for Thread {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        drop(self.jobs.take());
        if let Some(interrupt) = self.interrupt.lock().ok().as_deref().and_then(Option::as_ref) {
            interrupt.interrupt();
        }
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

impl Reader {
    /// Starts the reader thread on the database at `path`.
    pub fn start(path: PathBuf, notifier: Notifier) -> Reader {
        Reader::start_with(Location::File(path), None, notifier)
    }

    /// Starts the reader thread with `opened`, a connection opened beforehand
    /// (a guarded installation opens it while it holds the group's privilege,
    /// see `crate::privilege`); without one the thread opens its own.
    pub fn start_with(location: Location, opened: Option<Store>, notifier: Notifier) -> Reader {
        let (tx, rx) = mpsc::channel();
        let stopping = Arc::new(AtomicBool::new(false));
        let interrupt = Arc::new(Mutex::new(None));
        let (stop, handle) = (Arc::clone(&stopping), Arc::clone(&interrupt));
        let spawned = std::thread::Builder::new()
            .name("kam-reader".into())
            .spawn(move || serve(&location, opened, &rx, &notifier, &stop, &handle));
        match spawned {
            Ok(thread) => Reader::Background(Thread { jobs: Some(tx), handle: Some(thread), stopping, interrupt }),
            Err(_) => Reader::Inline,
        }
    }

    /// Runs `job`: inline on `conn`, returning its answer for the caller to take
    /// at once; or on the reader thread, returning None (the answer comes as a
    /// message). `kind` names what newer jobs replace older ones.
    pub fn submit(&self, conn: &Conn, kind: &'static str, job: Job) -> Option<Msg> {
        let sent = match self {
            Reader::Background(Thread { jobs: Some(thread), .. }) => thread.send((kind, job)),
            Reader::Background(Thread { jobs: None, .. }) | Reader::Inline => return Some(job(Some(conn))),
        };
        match sent {
            Ok(()) => None,
            // The thread is gone: the job comes back inside the error.
            Err(mpsc::SendError((_, job))) => Some(job(Some(conn))),
        }
    }
}

fn serve(
    location: &Location,
    opened: Option<Store>,
    jobs: &Receiver<(&'static str, Job)>,
    notifier: &Notifier,
    stopping: &AtomicBool,
    interrupt: &Mutex<Option<Interrupter>>,
) {
    // Opened here, not at start-up, so the first frame does not wait for it.
    let store = opened.or_else(|| Store::open_reader_at(location).ok());
    if let (Some(store), Ok(mut slot)) = (&store, interrupt.lock()) {
        *slot = Some(store.interrupter());
    }
    while let Ok(first) = jobs.recv() {
        let mut newest: Vec<(&'static str, Job)> = vec![first];
        while let Ok((kind, job)) = jobs.try_recv() {
            newest.retain(|(k, _)| *k != kind);
            newest.push((kind, job));
        }
        for (_, job) in newest {
            if stopping.load(Ordering::SeqCst) || !notifier.send(job(store.as_ref().map(Store::conn))) {
                return;
            }
        }
    }
}
