//! JSON lines (`.jsonl`, `.ndjson`) and JSON arrays (`.json`) of article objects.

use std::fmt;
use std::io::{BufRead, BufReader, Read};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::decode::TextReader;
use super::files::SourceFile;
use super::load::{BadEntries, IdField, Loader, entry_id, read_error};
use super::plain::clean_title;
use super::{Article, CorpusError, quote};

/// One JSON value that should be an article: an object's fields in source order, or what
/// it was instead.
enum Item {
    Object(Vec<(String, Value)>),
    Other(&'static str),
}

impl<'de> de::Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut fields = Vec::new();
        while let Some(field) = map.next_entry::<String, Value>()? {
            fields.push(field);
        }
        Ok(Item::Object(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Item::Other("an array"))
    }

    fn visit_str<E>(self, _: &str) -> Result<Item, E> {
        Ok(Item::Other("a string"))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Item, E> {
        Ok(Item::Other("true or false"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Item, E> {
        Ok(Item::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Item, E> {
        Ok(Item::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Item, E> {
        Ok(Item::Other("a number"))
    }

    fn visit_unit<E>(self) -> Result<Item, E> {
        Ok(Item::Other("null"))
    }
}

/// Makes an article of `item`; the reason it cannot be one otherwise. The id comes from the
/// field `ids` picks; the name of that field is handed back with the article.
fn article<'a>(
    item: Item,
    text_field: &str,
    ids: &IdField<'a>,
    id_base: &str,
    number: u64,
    source: String,
) -> Result<(Article, Option<&'a str>), String> {
    let fields = match item {
        Item::Object(fields) => fields,
        Item::Other(what) => return Err(format!("expected a JSON object, found {what}")),
    };
    if !fields.iter().any(|(name, _)| name == text_field) {
        // As the CSV reader does for its header: say what there is, so the right
        // --text-field can be picked.
        let names: Vec<String> = fields.iter().map(|(name, _)| quote(name)).collect();
        let has = if names.is_empty() {
            "the object has no fields".to_owned()
        } else {
            format!("its fields: {}", names.join(", "))
        };
        return Err(format!(
            "no field {} ({has}; --text-field names another)",
            quote(text_field)
        ));
    }
    let id_at = ids.pick(fields.iter().map(|(name, _)| name.as_str()), text_field);
    if let (IdField::Named(name), None) = (ids, id_at) {
        return Err(format!("no field {} (named by --id-field)", quote(name)));
    }
    let (mut text, mut id, mut id_name, mut title, mut meta) =
        (None, None, None, String::new(), Vec::new());
    for (at, (name, value)) in fields.into_iter().enumerate() {
        if name == text_field {
            text = Some(match value {
                Value::String(text) => text,
                other => {
                    return Err(format!(
                        "field {} is {}, not a string",
                        quote(text_field),
                        kind(&other)
                    ));
                }
            });
        } else if id_at.is_some_and(|(i, _)| i == at) {
            id = Some(match value {
                Value::String(id) => id,
                Value::Number(n) => n.to_string(),
                other => {
                    return Err(format!(
                        "field {} is {}, not a string or number",
                        quote(&name),
                        kind(&other)
                    ));
                }
            });
            id_name = id_at.map(|(_, known)| known);
        } else if name == "title" {
            title = match value {
                Value::String(title) => clean_title(&title),
                Value::Null => String::new(),
                other => clean_title(&other.to_string()),
            };
        } else {
            let value = match value {
                Value::String(value) => value,
                other => other.to_string(),
            };
            meta.push((name, value));
        }
    }
    let text = text.ok_or_else(|| format!("no field {}", quote(text_field)))?;
    let id = entry_id(id.as_deref(), id_base, number)?;
    let article = Article {
        id,
        title,
        text,
        meta,
        source,
    };
    Ok((article, id_name))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message without its position, which the caller words in the user's terms.
fn json_reason(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    match message.strip_suffix(&position) {
        Some(bare) => format!("not valid JSON: {bare} (column {})", err.column()),
        None => format!("not valid JSON: {message}"),
    }
}

/// Reads one article per non-blank line; ids default to `file#line`.
pub fn read_lines<R: BufRead>(
    loader: &mut Loader<'_>,
    file: &SourceFile,
    mut lines: R,
    bad: &mut BadEntries,
) -> Result<(), CorpusError> {
    let mut line = String::new();
    let mut number = 0u64;
    loop {
        line.clear();
        if lines
            .read_line(&mut line)
            .map_err(|err| read_error(&file.shown, err))?
            == 0
        {
            return Ok(());
        }
        number += 1;
        let entry = line.trim();
        if entry.is_empty() {
            continue;
        }
        let place = format!("{}:line {number}", file.shown);
        let result = serde_json::from_str::<Item>(entry)
            .map_err(|err| json_reason(&err))
            .and_then(|item| {
                article(
                    item,
                    loader.text_field,
                    &loader.id_field,
                    &file.id_base,
                    number,
                    place.clone(),
                )
            });
        match result {
            Ok((article, id_name)) => loader.push(article, id_name),
            Err(reason) => bad.handle(place, reason)?,
        }
    }
}

/// Reads a `.json` file: an array of objects, or JSON lines when it opens with `{`.
pub fn read_json<R: Read>(
    loader: &mut Loader<'_>,
    file: &SourceFile,
    reader: &mut TextReader<R>,
    bad: &mut BadEntries,
) -> Result<(), CorpusError> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let first = first_byte(&mut buffered).map_err(|err| read_error(&file.shown, err))?;
    if first == Some(b'{') {
        return read_lines(loader, file, buffered, bad);
    }
    let mut items = Items {
        loader,
        file,
        bad,
        stopped: None,
    };
    let mut json = serde_json::Deserializer::from_reader(buffered);
    let parsed = (&mut json)
        .deserialize_seq(&mut items)
        .and_then(|()| json.end());
    if let Some(err) = items.stopped {
        return Err(err);
    }
    parsed.map_err(|err| {
        if err.is_io() {
            return read_error(&file.shown, err.into());
        }
        if first.is_none() && err.is_eof() {
            return CorpusError::Empty {
                path: file.shown.clone(),
            };
        }
        let place = format!("{}:line {}", file.shown, err.line());
        CorpusError::BadFile {
            place,
            reason: json_reason(&err),
        }
    })
}

/// The first byte that is not whitespace, left unread.
fn first_byte<R: Read>(reader: &mut BufReader<R>) -> std::io::Result<Option<u8>> {
    let buffer = reader.fill_buf()?;
    Ok(buffer.iter().copied().find(|b| !b.is_ascii_whitespace()))
}

/// The elements of a JSON array, made into articles as they are parsed.
struct Items<'l, 'a, 'f> {
    loader: &'l mut Loader<'a>,
    file: &'f SourceFile,
    bad: &'l mut BadEntries,
    /// Why reading stopped short of the end, when it was not the JSON.
    stopped: Option<CorpusError>,
}

impl<'de> DeserializeSeed<'de> for &mut Items<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for &mut Items<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut number = 0u64;
        while let Some(item) = seq.next_element::<Item>()? {
            number += 1;
            let place = format!("{}:item {number}", self.file.shown);
            match article(
                item,
                self.loader.text_field,
                &self.loader.id_field,
                &self.file.id_base,
                number,
                place.clone(),
            ) {
                Ok((article, id_name)) => self.loader.push(article, id_name),
                Err(reason) => {
                    if let Err(err) = self.bad.handle(place, reason) {
                        self.stopped = Some(err);
                        return Err(de::Error::custom("stopped at a bad item"));
                    }
                }
            }
        }
        Ok(())
    }
}
