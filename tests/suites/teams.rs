//! The tests of teams: several annotators, agreement and adjudication.
//!
//! One test binary for many files, linked once: each file is a module, and `tests/common`
//! is compiled once for all of them.

#[path = "../adjudicate_e2e.rs"]
mod adjudicate_e2e;
#[path = "../adjudicate_state.rs"]
mod adjudicate_state;
#[path = "../adjudicate_view.rs"]
mod adjudicate_view;
#[path = "../agree_cli.rs"]
mod agree_cli;
#[path = "../agree_coefficients.rs"]
mod agree_coefficients;
#[path = "../agree_json.rs"]
mod agree_json;
#[path = "../agree_props.rs"]
mod agree_props;
#[path = "../article_list_agreement.rs"]
mod article_list_agreement;
#[path = "../attach_agree.rs"]
mod attach_agree;
#[path = "../common/mod.rs"]
mod common;
#[path = "../team_others.rs"]
mod team_others;
#[path = "../team_overlap.rs"]
mod team_overlap;
#[path = "../team_sessions.rs"]
mod team_sessions;
#[path = "../team_store.rs"]
mod team_store;
