//! `postgresql://` store addresses: parsing, the password kept out of every shown form, and
//! credentials found as libpq finds them (the URL, a service file, `PGPASSWORD`,
//! `~/.pgpass`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

/// What stands for a password in a shown address.
pub const MASK: &str = "***";

/// Whether `text` names a PostgreSQL store rather than a path.
pub fn is_url(text: &str) -> bool {
    text.starts_with("postgresql://") || text.starts_with("postgres://")
}

/// Whether `path` names a PostgreSQL store rather than a file or folder.
pub fn is_url_path(path: &Path) -> bool {
    path.to_str().is_some_and(is_url)
}

/// Passwords taken out of addresses, by the masked address that stands for them: the
/// address the rest of stance carries (and may print) never holds the secret.
fn secrets() -> &'static Mutex<HashMap<String, String>> {
    static SECRETS: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    SECRETS.get_or_init(Mutex::default)
}

/// The address as it may be shown and passed around: a password in it (`user:pw@` or
/// `password=`) replaced by [`MASK`] and remembered for [`PgUrl::parse`]; `store=` added
/// with `default_store` when the address names none.
pub fn masked(text: &str, default_store: Option<&str>) -> String {
    let (mut shown, password) = take_password(text);
    if let Some(store) = default_store
        && !query(&shown).any(|(k, _)| k == "store")
    {
        shown.push(if shown.contains('?') { '&' } else { '?' });
        shown.push_str("store=");
        shown.push_str(&encode(store));
    }
    if let Some(password) = password {
        secrets()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(shown.clone(), password);
    }
    shown
}

/// `text` with its password replaced by [`MASK`], and the password.
fn take_password(text: &str) -> (String, Option<String>) {
    let (scheme, rest) = text.split_once("://").unwrap_or(("postgresql", text));
    let (before_query, query_part) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (before_query, None),
    };
    let mut password = None;
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, pw)) if pw != MASK => {
                password = Some(decode(pw));
                format!("{user}:{MASK}@{host}")
            }
            _ => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let mut out = format!("{scheme}://{authority}");
    if let Some(path) = path {
        out.push('/');
        out.push_str(path);
    }
    if let Some(q) = query_part {
        let pairs: Vec<String> = q
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some(("password", pw)) if pw != MASK => {
                    password = Some(decode(pw));
                    format!("password={MASK}")
                }
                _ => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    (out, password)
}

fn query(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split_once('?')
        .map_or("", |(_, q)| q)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

/// Percent-decodes a URL part.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes what may not stand in a query value.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A parsed store address: how to connect, and which store inside the database.
#[derive(Clone)]
pub struct PgUrl {
    /// The address as shown: never a password in it.
    pub shown: String,
    /// The connection settings, password included.
    pub config: postgres::Config,
    /// The store's name in the database.
    pub store: String,
    /// `sslmode=require`: TLS or no connection, as libpq does it (the certificate is not
    /// checked, as libpq's `require` does not).
    pub require_tls: bool,
    /// `sslmode=verify-ca` or `verify-full`: the server's certificate must chain to the root
    /// certificates, and with `verify-full` also name the host.
    pub verify: Verify,
    /// `sslrootcert`: the root certificates checked against, else libpq's
    /// `~/.postgresql/root.crt`.
    pub root_cert: Option<PathBuf>,
}

/// How much of the server's certificate is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Verify {
    /// Nothing (`disable`, `prefer`, `require`).
    #[default]
    Nothing,
    /// That it chains to a trusted root (`verify-ca`).
    Chain,
    /// That it chains to a trusted root and names the host connected to (`verify-full`).
    ChainAndHost,
}

impl std::fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl PgUrl {
    /// Parses `text` (masked or not); the reason, with no password in it (nor the address:
    /// the caller names it), when it is not a store address stance can use.
    pub fn parse(text: &str) -> Result<PgUrl, String> {
        let shown = masked(text, None);
        let password = secrets()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&shown)
            .cloned();
        let mut store = None;
        let mut tls = Tls::default();
        let mut service = None;
        let mut kept = Vec::new();
        for (key, value) in query(&shown) {
            match key {
                "store" => store = Some(decode(value)),
                "password" => {}
                "service" => service = Some(decode(value)),
                "sslmode" => kept.push(format!("sslmode={}", tls.mode(&decode(value)))),
                "sslrootcert" => tls.root_cert = Some(PathBuf::from(decode(value))),
                _ => kept.push(format!("{key}={value}")),
            }
        }
        let service = service.or_else(|| std::env::var("PGSERVICE").ok().filter(|s| !s.is_empty()));
        let base = shown.split_once('?').map_or(shown.as_str(), |(b, _)| b);
        let base = base.replacen(&format!(":{MASK}@"), "@", 1);
        let mut plain = base.clone();
        if !kept.is_empty() {
            plain.push('?');
            plain.push_str(&kept.join("&"));
        }
        let mut config: postgres::Config = plain
            .parse()
            .map_err(|e| format!("not a PostgreSQL address: {e}"))?;
        let store = store
            .filter(|s| !s.is_empty())
            .ok_or_else(|| "no store named (add ?store=NAME)".to_owned())?;
        let mut service_password = None;
        if let Some(name) = &service {
            let settings = super::service::lookup(name)?;
            service_password = apply_service(&mut config, &mut tls, settings)
                .map_err(|reason| format!("service {name}: {reason}"))?;
        }
        if tls.verify.is_some_and(|v| v != Verify::Nothing) {
            let root = tls.root_cert.take().or_else(|| {
                let home = std::env::var_os("HOME")?;
                Some(PathBuf::from(home).join(".postgresql").join("root.crt"))
            });
            let root = root.ok_or_else(|| {
                "sslmode verify-ca and verify-full need sslrootcert (no HOME)".to_owned()
            })?;
            check_root(&root).map_err(|reason| {
                format!(
                    "root certificate file {}: {reason} (sslmode verify-ca and \
                     verify-full check the server against it; name it with sslrootcert=PATH)",
                    crate::escape::path(&root)
                )
            })?;
            tls.root_cert = Some(root);
        }
        if config.get_user().is_none() {
            config.user(&login_name());
        }
        if config.get_dbname().is_none() {
            let user = config.get_user().unwrap_or_default().to_owned();
            config.dbname(&user);
        }
        match password {
            Some(pw) => {
                config.password(pw);
            }
            None if config.get_password().is_none() => {
                if let Some(pw) = service_password.or_else(|| password_from_env(&config)) {
                    config.password(pw);
                }
            }
            None => {}
        }
        if config.get_application_name().is_none() {
            config.application_name("stance");
        }
        config.connect_timeout(std::time::Duration::from_secs(5));
        Ok(PgUrl {
            shown,
            config,
            store,
            require_tls: tls.require,
            verify: tls.verify.unwrap_or_default(),
            root_cert: tls.root_cert,
        })
    }

    /// The host and port shown in messages.
    pub fn server(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            #[cfg(unix)]
            Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
            None => "localhost".into(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        format!("{host}:{port}")
    }
}

/// The TLS settings of an address, as they are read.
#[derive(Default)]
struct Tls {
    require: bool,
    verify: Option<Verify>,
    root_cert: Option<PathBuf>,
}

impl Tls {
    /// Takes `sslmode`; returns the mode the client library is given (it knows no
    /// `verify-*`: those are `require` to it, and checked by stance's TLS connector).
    fn mode<'a>(&mut self, mode: &'a str) -> &'a str {
        let (require, verify) = match mode {
            "verify-ca" => (true, Verify::Chain),
            "verify-full" => (true, Verify::ChainAndHost),
            other => (other == "require", Verify::Nothing),
        };
        self.require = require;
        self.verify = Some(verify);
        if verify == Verify::Nothing {
            mode
        } else {
            "require"
        }
    }
}

/// Whether `root` holds PEM certificates; the reason when it does not.
fn check_root(root: &Path) -> Result<(), String> {
    let bytes = std::fs::read(root).map_err(|e| e.to_string())?;
    match openssl::x509::X509::stack_from_pem(&bytes) {
        Ok(certs) if !certs.is_empty() => Ok(()),
        _ => Err("not PEM certificates".into()),
    }
}

/// Sets what a service's `settings` say and the address did not (host, port, dbname, user,
/// sslmode, sslrootcert); returns its password, to come after the address's own.
fn apply_service(
    config: &mut postgres::Config,
    tls: &mut Tls,
    settings: BTreeMap<String, String>,
) -> Result<Option<String>, String> {
    let mut password = None;
    for (key, value) in settings {
        match key.as_str() {
            "host" if config.get_hosts().is_empty() => {
                for host in value.split(',') {
                    config.host(host);
                }
            }
            "port" if config.get_ports().is_empty() => {
                for port in value.split(',') {
                    let port = port.parse().map_err(|_| {
                        format!("port {} is not a number", crate::escape::quote(port))
                    })?;
                    config.port(port);
                }
            }
            "dbname" if config.get_dbname().is_none() => {
                config.dbname(&value);
            }
            "user" if config.get_user().is_none() => {
                config.user(&value);
            }
            "password" => password = Some(value),
            "sslmode" if tls.verify.is_none() => {
                let mode = match tls.mode(&value) {
                    "disable" => postgres::config::SslMode::Disable,
                    "prefer" => postgres::config::SslMode::Prefer,
                    "require" => postgres::config::SslMode::Require,
                    other => {
                        return Err(format!(
                            "sslmode {} is not known",
                            crate::escape::quote(other)
                        ));
                    }
                };
                config.ssl_mode(mode);
            }
            "sslrootcert" if tls.root_cert.is_none() => tls.root_cert = Some(value.into()),
            _ => {}
        }
    }
    Ok(password)
}

fn login_name() -> String {
    std::env::var("PGUSER")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "postgres".into())
}

/// `PGPASSWORD`, else the first matching line of the password file (`PGPASSFILE`, else
/// `~/.pgpass`), as libpq reads them.
fn password_from_env(config: &postgres::Config) -> Option<String> {
    if let Ok(pw) = std::env::var("PGPASSWORD")
        && !pw.is_empty()
    {
        return Some(pw);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass")))?;
    let text = std::fs::read_to_string(&file).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // libpq ignores a password file others can read; so does stance.
        let mode = std::fs::metadata(&file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return None;
        }
    }
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".into(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config.get_dbname().unwrap_or_default();
    let user = config.get_user().unwrap_or_default();
    pgpass_lookup(&text, &host, &port, db, user)
}

/// The password of the first `host:port:database:user:password` line of `text` that
/// matches (`*` matches anything; `\:` and `\\` are a colon and a backslash).
pub fn pgpass_lookup(text: &str, host: &str, port: &str, db: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        let [h, p, d, u, pw] = fields.as_slice() else {
            continue;
        };
        let fits = |field: &str, value: &str| field == "*" || field == value;
        if fits(h, host) && fits(p, port) && fits(d, db) && fits(u, user) {
            return Some(pw.clone());
        }
    }
    None
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("one field at least").push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field at least").push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_stays_in_the_shown_address() {
        let shown = masked(
            "postgresql://ana:s%40cret@db.example:5433/team",
            Some("news"),
        );
        assert_eq!(
            shown,
            "postgresql://ana:***@db.example:5433/team?store=news"
        );
        let url = PgUrl::parse(&shown).unwrap();
        assert_eq!(url.config.get_password(), Some(&b"s@cret"[..]));
        assert_eq!(url.store, "news");
        let q = masked("postgres://ana@h/db?password=hush&store=x", None);
        assert!(!q.contains("hush"), "{q}");
        assert_eq!(
            PgUrl::parse(&q).unwrap().config.get_password(),
            Some(&b"hush"[..])
        );
    }

    #[test]
    fn the_store_named_in_the_address_wins_over_the_default() {
        let shown = masked(
            "postgresql://ana@h/db?store=mine&sslmode=require",
            Some("corpus"),
        );
        let url = PgUrl::parse(&shown).unwrap();
        assert_eq!((url.store.as_str(), url.require_tls), ("mine", true));
    }

    #[test]
    fn verify_modes_are_require_to_the_client_and_need_a_root_that_reads() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root.crt");
        std::fs::write(&root, "not a certificate").unwrap();
        let address = format!(
            "postgresql://ana@h/db?sslmode=verify-ca&sslrootcert={}&store=s",
            root.display()
        );
        let err = PgUrl::parse(&address).unwrap_err();
        assert!(err.contains("not PEM certificates"), "{err}");
        let missing = "postgresql://ana@h/db?sslmode=verify-full&sslrootcert=/no/such.crt&store=s";
        let err = PgUrl::parse(missing).unwrap_err();
        assert!(err.contains("/no/such.crt"), "{err}");
        let url = PgUrl::parse("postgresql://ana@h/db?sslmode=disable&store=s").unwrap();
        assert_eq!((url.require_tls, url.verify), (false, Verify::Nothing));
    }

    #[test]
    fn pgpass_lines_match_as_libpq_matches_them() {
        let text = "# comment\nother:5432:*:ana:no\nh:*:db:ana:p\\:w\n*:*:*:*:any\n";
        assert_eq!(
            pgpass_lookup(text, "h", "5432", "db", "ana").as_deref(),
            Some("p:w")
        );
        assert_eq!(
            pgpass_lookup(text, "x", "1", "y", "z").as_deref(),
            Some("any")
        );
        assert_eq!(pgpass_lookup("h:1:d:u:pw\n", "h", "2", "d", "u"), None);
    }
}
