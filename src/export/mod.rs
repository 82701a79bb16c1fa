//! Writers that take kam's data out to other programs: iCalendar for phone
//! and desktop calendars, CSV and XLSX tables for spreadsheets.

pub mod analysis_report;
pub mod appraisal;
pub mod ics;
pub mod table;
