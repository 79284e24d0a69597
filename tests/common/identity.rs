//! A corpus without ids and labels for one sentence of each article: the files the tests
//! of re-attachment by sentence text move and rename.

/// Three articles without ids: each one's id is the file name and line.
pub const NO_IDS: &str = concat!(
    r#"{"title": "Talks", "text": "Envoys met in Geneva on Monday. The talks will resume next week."}"#,
    "\n",
    r#"{"title": "Coal", "text": "The EU banned coal imports from the country. Officials said more measures could follow."}"#,
    "\n",
    r#"{"title": "Drill", "text": "Troops moved to the border at dawn. Jets flew over the capital."}"#,
    "\n",
);

/// doccano lines for three sentences, one of each article.
pub const LABELS: &str = concat!(
    r#"{"text": "Envoys met in Geneva on Monday.", "label": ["diplomatic"]}"#,
    "\n",
    r#"{"text": "The EU banned coal imports from the country.", "label": ["sanctions"]}"#,
    "\n",
    r#"{"text": "Jets flew over the capital.", "label": ["military"]}"#,
    "\n",
);
