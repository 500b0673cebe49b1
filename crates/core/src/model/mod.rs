//! The domain types the access rules speak of, one family per file.

pub mod booking;
pub mod catalog;
pub mod door_access;
pub mod location;
pub mod passes;
pub mod people;
pub mod subscription;
