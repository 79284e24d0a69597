//! The re-attachment worker: after the first frame, searches the corpus for the one
//! sentence that has the text of each annotation whose article id is gone
//! ([`Reattached::find`], the rule `stats` and `export` apply at open) and reports what it
//! found as [`Action::Reattached`], so the session's open never waits for segmenting the
//! whole corpus.
//!
//! A session on a store keeps what the search found in an index beside it ([`index`]), so
//! the next one on the same corpus checks the places named there instead of segmenting
//! every article.
//!
//! The whole corpus is searched before anything is reported, even when the current article
//! has the text: a text found in two sentences is not re-attached, and that is known only
//! once every article is segmented.

pub mod index;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;

use crate::app::Action;
use crate::app::reattach::Found;
use crate::attach::{Reattached, places, wanted};
use crate::corpus::Article;
use crate::store::{Annotation, Event, Overrides};

/// What the search needs: the corpus as the session shows it, and the gone annotations.
#[derive(Clone)]
pub struct ReattachInput {
    /// The corpus's articles (the session's, shared).
    pub articles: Arc<Vec<Article>>,
    /// The store's boundary overrides at open.
    pub boundaries: Overrides,
    /// The annotations whose article id is gone ([`crate::attach::gone`]); never empty.
    pub gone: Vec<Event>,
    /// Where the fingerprint index is kept ([`index::path_for`]); `None`: none is kept.
    pub index: Option<PathBuf>,
}

impl ReattachInput {
    /// The search's input, or `None` when no annotation's article is gone: then nothing is
    /// searched and no thread is started.
    pub fn of<'a>(
        articles: &Arc<Vec<Article>>,
        boundaries: &Overrides,
        hidden: &HashSet<String>,
        annotations: impl IntoIterator<Item = Annotation<'a>>,
        index: Option<PathBuf>,
    ) -> Option<ReattachInput> {
        let gone = crate::attach::gone(articles, hidden, annotations);
        (!gone.is_empty()).then(|| ReattachInput {
            articles: Arc::clone(articles),
            boundaries: boundaries.clone(),
            gone,
            index,
        })
    }
}

/// Starts the search on its own thread; it reports [`Action::Reattaching`] at once, then
/// [`Action::Reattached`] on `reports`, and ends (early, when the session has ended).
pub fn spawn(input: ReattachInput, reports: Sender<Action>) {
    std::thread::Builder::new()
        .name("reattach".into())
        .spawn(move || {
            if reports.send(Action::Reattaching(input.gone.len())).is_ok() {
                crate::fault::hold_point("reattach:hold");
                let _ = reports.send(Action::Reattached(search(&input)));
            }
        })
        .expect("the system can start one more thread");
}

/// What [`spawn`]'s thread reports: the moves and superseded keys of [`Reattached::find`]
/// on the gone annotations, the places of their fingerprints taken from the index when it
/// checks out, else from a full search (which then replaces the index).
pub fn search(input: &ReattachInput) -> Found {
    let (articles, overrides, none) = (&input.articles, &input.boundaries, HashSet::new());
    let gone = || input.gone.iter().map(Annotation::from);
    let wanted = wanted(articles, &none, gone());
    let places = match &input.index {
        Some(path) => {
            let digest = index::digest(articles, overrides);
            index::read(path, digest, articles, overrides, &wanted).unwrap_or_else(|| {
                let found = places(articles, overrides, &wanted);
                index::write(path, digest, articles, &wanted, &found);
                found
            })
        }
        None => places(articles, overrides, &wanted),
    };
    let found = Reattached::with_places(articles, &none, &places, gone());
    Found {
        moves: found.moves(),
        superseded: found.superseded_keys(),
    }
}
