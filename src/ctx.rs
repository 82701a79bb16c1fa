//! What every screen may use ([`Ctx`]): the store, the reference lists, who
//! is working, the language, theme and keys, and the clock.
//!
//! Apart from the app loop (`app.rs`) so that screens and widgets depend on
//! this context, not on the loop that routes between them.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{Local, NaiveDate, NaiveDateTime, TimeDelta};

use crate::db::reference::Reference;
use crate::db::{Actor, DbError, Store};
use crate::domain::staff::Staff;
use crate::domain::tier::TierPreset;
use crate::domain::visit_standard::StandardPreset;
use crate::i18n::{Lang, Text};
use crate::keymap::Keymap;
use crate::theme::Theme;

/// Where "now" comes from: the system clock, or in tests a fixed instant or
/// one the test moves by hand.
#[derive(Debug, Clone)]
pub enum Clock {
    System,
    Fixed(NaiveDateTime),
    /// A time that stays put until it is moved; clones share it, so a test can
    /// keep one and move the app's time (across midnight, say).
    Manual(ManualClock),
}

/// The shared time of a [`Clock::Manual`].
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<NaiveDateTime>>);

impl ManualClock {
    pub fn new(at: NaiveDateTime) -> ManualClock {
        ManualClock(Arc::new(Mutex::new(at)))
    }
    pub fn now(&self) -> NaiveDateTime {
        // A panic while holding the lock cannot leave a half-written time.
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
    pub fn set(&self, at: NaiveDateTime) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }
    pub fn advance(&self, by: TimeDelta) {
        let mut t = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *t += by;
    }
}

impl Clock {
    pub fn now(&self) -> NaiveDateTime {
        match self {
            Clock::System => Local::now().naive_local(),
            Clock::Fixed(t) => *t,
            Clock::Manual(m) => m.now(),
        }
    }
    pub fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

/// What every screen may use.
pub struct Ctx {
    pub store: Store,
    pub reference: Reference,
    pub user: Staff,
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub clock: Clock,
    pub preset: TierPreset,
    /// The active visit standard (SPEC §5).
    pub standard: StandardPreset,
    /// Yuan or 万元, toggled on the revenue screens.
    pub money_unit: crate::config::MoneyUnit,
    /// The customer status rules (SPEC §7), from the config.
    pub status_rules: crate::domain::revenue::StatusRules,
    /// Where reads that keys should not wait for run (search, the analysis): on
    /// a thread of their own in the terminal, inline in tests.
    pub reader: crate::background::Reader,
}

/// The reader thread's connection closes before the main one (the store):
/// the main connection, last out, then leaves everything in the main file.
impl Drop for Ctx {
    fn drop(&mut self) {
        drop(std::mem::take(&mut self.reader));
    }
}

impl Ctx {
    pub fn t(&self) -> &'static Text {
        self.lang.text()
    }
    pub fn actor(&self) -> Actor {
        Actor { staff: self.user.clone(), at: self.clock.now() }
    }
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }
    /// A storage error as the user should read it.
    pub fn describe(&self, err: &DbError) -> String {
        crate::ui::db_error_text(self.lang, err)
    }
}
