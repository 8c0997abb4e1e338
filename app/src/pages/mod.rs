//! Pages of the citizen app.

pub mod apply;
pub mod start;
pub mod track;
