//! Pages of the citizen app.

pub mod apply;
