//! kam: key-account management (大客户管理) for postal account managers.

pub mod ansi_backend;
pub mod app;
pub mod background;
pub mod cli;
pub mod commands;
pub mod config;
pub mod ctx;
pub mod db;
pub mod demo;
pub mod domain;
pub mod event;
pub mod export;
pub mod i18n;
pub mod identity;
pub mod import;
pub mod keymap;
pub mod lean_backend;
pub mod msg;
pub mod privilege;
pub mod review;
pub mod search;
pub mod startup;
pub mod terminal;
pub mod theme;
pub mod ui;

pub use startup::run;
