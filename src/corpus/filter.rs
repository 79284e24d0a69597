//! `--where`: which loaded articles a session, `stats` or `export` goes through, by their
//! metadata. A pure function of one article: ids, keys and stores do not depend on it.

use std::fmt;
use std::str::FromStr;

use super::Article;

/// Every `--where` given: an article is kept when all of them hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// The conditions, in the order given.
    pub clauses: Vec<Clause>,
}

/// One `FIELD=VALUE`, `FIELD>=VALUE`, `FIELD>VALUE`, `FIELD<=VALUE` or `FIELD<VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// A metadata field; `id` and `title` name the article's own when no field has the name.
    pub field: String,
    test: Test,
    /// As the user wrote it, for messages.
    written: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// The value as text, `*` matching any run of characters: the pieces between stars.
    Glob(Vec<String>),
    /// A numeric or date comparison.
    Order(Ordering, Bound),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ordering {
    Less,
    AtMost,
    AtLeast,
    Greater,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Bound {
    Number(f64),
    /// Year, month, day: compared in that order.
    Date(u32, u32, u32),
}

impl Filter {
    /// A filter of these `--where` values; the first malformed one is the error.
    pub fn parse<S: AsRef<str>>(expressions: &[S]) -> Result<Filter, String> {
        let clauses = expressions
            .iter()
            .map(|e| e.as_ref().parse())
            .collect::<Result<_, _>>()?;
        Ok(Filter { clauses })
    }

    /// True when there is no condition, so every article is kept.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// True when `article` meets every condition.
    pub fn matches(&self, article: &Article) -> bool {
        self.clauses.iter().all(|clause| clause.matches(article))
    }
}

impl Clause {
    /// True when the article has the field and its value meets the condition; a value that
    /// is not a number (or date) never meets a numeric (or date) comparison.
    pub fn matches(&self, article: &Article) -> bool {
        let Some(value) = field(article, &self.field) else {
            return false;
        };
        match &self.test {
            Test::Glob(pieces) => glob(pieces, value),
            Test::Order(ordering, bound) => {
                let Some(order) = compare(value, *bound) else {
                    return false;
                };
                match ordering {
                    Ordering::Less => order.is_lt(),
                    Ordering::AtMost => order.is_le(),
                    Ordering::AtLeast => order.is_ge(),
                    Ordering::Greater => order.is_gt(),
                }
            }
        }
    }
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

impl FromStr for Clause {
    type Err = String;

    fn from_str(written: &str) -> Result<Clause, String> {
        let at = written.find(['=', '<', '>']).ok_or_else(|| {
            "expected FIELD=VALUE, FIELD>=VALUE, FIELD>VALUE, FIELD<=VALUE or FIELD<VALUE"
                .to_owned()
        })?;
        let field = &written[..at];
        if field.is_empty() {
            return Err("no field name before the comparison".into());
        }
        let rest = &written[at..];
        let (ordering, value) = if let Some(value) = rest.strip_prefix(">=") {
            (Some(Ordering::AtLeast), value)
        } else if let Some(value) = rest.strip_prefix("<=") {
            (Some(Ordering::AtMost), value)
        } else if let Some(value) = rest.strip_prefix('>') {
            (Some(Ordering::Greater), value)
        } else if let Some(value) = rest.strip_prefix('<') {
            (Some(Ordering::Less), value)
        } else {
            (None, &rest[1..])
        };
        let test = match ordering {
            None => Test::Glob(value.split('*').map(str::to_owned).collect()),
            Some(ordering) => {
                let bound = number(value)
                    .map(Bound::Number)
                    .or_else(|| date(value.trim()).map(|(y, m, d)| Bound::Date(y, m, d)));
                match bound {
                    Some(bound) => Test::Order(ordering, bound),
                    None => {
                        return Err(format!(
                            "{value:?} is neither a number nor a date YYYY-MM-DD, \
                             which <, <=, >, >= compare"
                        ));
                    }
                }
            }
        };
        Ok(Clause {
            field: field.to_owned(),
            test,
            written: written.to_owned(),
        })
    }
}

/// The value of `name` in `article`: a metadata field, else the id or title.
fn field<'a>(article: &'a Article, name: &str) -> Option<&'a str> {
    if let Some((_, value)) = article.meta.iter().find(|(key, _)| key == name) {
        return Some(value);
    }
    match name {
        "id" => Some(&article.id),
        "title" => Some(&article.title),
        _ => None,
    }
}

/// `value` against stars-separated `pieces`: the first is a prefix, the last a suffix, the
/// others found in order between them.
fn glob(pieces: &[String], value: &str) -> bool {
    let [first, middle @ .., last] = pieces else {
        return value == pieces[0];
    };
    let Some(mut rest) = value.strip_prefix(first.as_str()) else {
        return false;
    };
    for piece in middle {
        match rest.find(piece.as_str()) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last.as_str())
}

fn compare(value: &str, bound: Bound) -> Option<std::cmp::Ordering> {
    match bound {
        Bound::Number(bound) => number(value)?.partial_cmp(&bound),
        Bound::Date(y, m, d) => Some(date_prefix(value)?.cmp(&(y, m, d))),
    }
}

/// A finite decimal number, surrounding spaces allowed.
fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    // `f64::from_str` also reads `inf` and `NaN`, which are no numbers in a corpus.
    text.parse::<f64>().ok().filter(|n| plain && n.is_finite())
}

/// The date a value starts with: `YYYY-MM-DD`, alone or before a time (`T…` or ` …`).
fn date_prefix(value: &str) -> Option<(u32, u32, u32)> {
    let value = value.trim();
    let head = value.get(..10)?;
    match value.as_bytes().get(10) {
        None | Some(b'T' | b't' | b' ') => date(head),
        Some(_) => None,
    }
}

/// `YYYY-MM-DD` exactly, with a month and day that can exist.
fn date(text: &str) -> Option<(u32, u32, u32)> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(meta: &[(&str, &str)]) -> Article {
        Article {
            id: "wire-1".into(),
            title: "Envoys meet".into(),
            text: "Talks resumed.".into(),
            meta: meta
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            source: "a.jsonl:line 1".into(),
        }
    }

    fn keeps(expressions: &[&str], meta: &[(&str, &str)]) -> bool {
        Filter::parse(expressions).unwrap().matches(&article(meta))
    }

    #[test]
    fn equality_is_exact_text_with_stars_for_any_run() {
        let meta = [("subject", "politicsNews")];
        assert!(keeps(&["subject=politicsNews"], &meta));
        assert!(!keeps(&["subject=politics"], &meta));
        assert!(!keeps(&["subject=politicsnews"], &meta), "case counts");
        assert!(keeps(&["subject=politics*"], &meta));
        assert!(keeps(&["subject=*News"], &meta));
        assert!(keeps(&["subject=p*i*s"], &meta));
        assert!(keeps(&["subject=*"], &meta));
        assert!(!keeps(&["subject=*x*"], &meta));
        assert!(
            !keeps(&["subject=politicsNews*s"], &meta),
            "pieces do not overlap"
        );
        assert!(keeps(&["subject="], &[("subject", "")]));
        assert!(
            keeps(&["note=a=b"], &[("note", "a=b")]),
            "only the first = splits"
        );
    }

    #[test]
    fn numbers_and_dates_compare_by_value() {
        assert!(keeps(&["words>=100"], &[("words", "250")]));
        assert!(keeps(&["words>=100"], &[("words", "100")]));
        assert!(!keeps(&["words>100"], &[("words", "100")]));
        assert!(keeps(&["words<1e3"], &[("words", "99.5")]));
        assert!(!keeps(&["words<=9"], &[("words", "10")]), "not as text");
        assert!(!keeps(&["words>1"], &[("words", "many")]));
        let day = [("date", "2017-12-31")];
        assert!(keeps(&["date>=2017-01-01", "date<2018-01-01"], &day));
        assert!(!keeps(&["date>2017-12-31"], &day));
        assert!(keeps(
            &["date<=2017-12-31"],
            &[("date", "2017-12-31T23:59:00Z")]
        ));
        assert!(!keeps(
            &["date>2017-01-01"],
            &[("date", "December 31, 2017")]
        ));
        assert!(!keeps(&["date>2017-01-01"], &[("date", "2017-12-31x")]));
    }

    #[test]
    fn all_conditions_hold_and_a_missing_field_does_not_match() {
        let meta = [("subject", "worldnews"), ("date", "2017-05-01")];
        assert!(keeps(&["subject=world*", "date<2017-06-01"], &meta));
        assert!(!keeps(&["subject=world*", "date<2017-04-01"], &meta));
        assert!(!keeps(&["lang=en"], &meta));
        assert!(keeps(&[], &meta));
    }

    #[test]
    fn id_and_title_are_fields_unless_metadata_has_them() {
        assert!(keeps(&["id=wire-*"], &[]));
        assert!(keeps(&["title=*meet"], &[]));
        assert!(keeps(&["id=other"], &[("id", "other")]));
    }

    #[test]
    fn malformed_expressions_say_what_is_wrong() {
        assert!(
            Filter::parse(&["subject"])
                .unwrap_err()
                .contains("FIELD=VALUE")
        );
        assert!(
            Filter::parse(&["=x"])
                .unwrap_err()
                .contains("no field name")
        );
        let bad = Filter::parse(&["date>=yesterday"]).unwrap_err();
        assert!(
            bad.contains("\"yesterday\" is neither a number nor a date"),
            "{bad}"
        );
        assert!(Filter::parse(&["n>=inf"]).is_err());
        assert!(Filter::parse(&["date<2017-13-01"]).is_err());
        assert!(Filter::parse(&["date<"]).is_err());
    }
}
