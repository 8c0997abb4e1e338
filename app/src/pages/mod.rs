//! Pages of the citizen app.

pub mod apply;
pub mod track;
