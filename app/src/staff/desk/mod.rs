//! The ЦОН operator's desk (issue 17): so far the courier dispatch; the intake from an IIN, the
//! shelf and the hand-over have their server routes and are still to be drawn here.

pub mod dispatch;
pub mod pdf;
