//! kam: key-account management for postal account managers.
pub mod domain;
pub mod search;
