//! Connection service files, as libpq reads them: `service=NAME` in the address (else
//! `PGSERVICE`) names a section of `PGSERVICEFILE` (else `~/.pg_service.conf`), then of
//! `PGSYSCONFDIR/pg_service.conf`; its `key=value` lines are defaults for what the address
//! does not say.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The settings of service `name`, from the first file that defines it; the reason, naming
/// the file and line, when a file cannot be read as one or none defines it.
pub fn lookup(name: &str) -> Result<BTreeMap<String, String>, String> {
    let mut looked = Vec::new();
    for file in files() {
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                looked.push(crate::escape::path(&file));
                continue;
            }
            Err(e) => {
                return Err(format!(
                    "cannot read service file {}: {e}",
                    crate::escape::path(&file)
                ));
            }
        };
        if let Some(found) = section(&text, name).map_err(|line| {
            format!(
                "service file {} line {line}: not `[name]` or `key=value`",
                crate::escape::path(&file)
            )
        })? {
            return Ok(found);
        }
        looked.push(crate::escape::path(&file));
    }
    Err(format!(
        "no service {} in {}",
        crate::escape::quote(name),
        if looked.is_empty() {
            "any service file (set PGSERVICEFILE or HOME)".to_owned()
        } else {
            looked.join(", ")
        }
    ))
}

/// The files searched, in order.
fn files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    match std::env::var_os("PGSERVICEFILE") {
        Some(file) => files.push(PathBuf::from(file)),
        None => {
            if let Some(home) = std::env::var_os("HOME") {
                files.push(PathBuf::from(home).join(".pg_service.conf"));
            }
        }
    }
    if let Some(dir) = std::env::var_os("PGSYSCONFDIR") {
        files.push(PathBuf::from(dir).join("pg_service.conf"));
    }
    files
}

/// The `key=value` lines of section `[name]` in `text`, `None` when it has none; `Err` with
/// the 1-based number of a line that is neither a section, a comment nor `key=value`.
pub fn section(text: &str, name: &str) -> Result<Option<BTreeMap<String, String>>, usize> {
    let mut current: Option<bool> = None;
    let mut found: Option<BTreeMap<String, String>> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let section = rest.strip_suffix(']').ok_or(i + 1)?;
            // Only the first section of that name counts, as in libpq.
            if current == Some(true) {
                return Ok(found);
            }
            current = Some(section == name);
            if section == name {
                found = Some(BTreeMap::new());
            }
            continue;
        }
        let (key, value) = line.split_once('=').ok_or(i + 1)?;
        if current == Some(true)
            && let Some(found) = found.as_mut()
        {
            found
                .entry(key.trim().to_owned())
                .or_insert_with(|| value.trim().to_owned());
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_read_as_libpq_reads_it() {
        let text = "# team servers\n[other]\nhost=x\n\n[team]\nhost = db.example\nport=5433\n\
                    dbname=labels\n[later]\nhost=y\n";
        let team = section(text, "team").unwrap().unwrap();
        assert_eq!(team["host"], "db.example");
        assert_eq!(team["port"], "5433");
        assert_eq!(team["dbname"], "labels");
        assert!(!team.contains_key("later"));
        assert_eq!(section(text, "none").unwrap(), None);
        assert_eq!(section("[a]\nnot a setting\n", "a"), Err(2));
    }
}
