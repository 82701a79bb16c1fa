//! Writers that take kam's data out to other programs: iCalendar for phone
//! and desktop calendars.

pub mod ics;
