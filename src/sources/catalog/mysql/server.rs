//! Which server this is (MySQL or MariaDB, and its version) and which database the URL
//! opened: the session's first query, since the timeout settings depend on it.

use super::session::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    Mysql,
    Mariadb,
}

#[derive(Debug, Clone)]
pub(super) struct ServerInfo {
    pub flavor: Flavor,
    /// `(major, minor, patch)`.
    pub version: (u32, u32, u32),
    pub database: String,
}

impl ServerInfo {
    /// `MariaDB 10.11.19`, `MySQL 8.0.36`.
    pub fn server_string(&self) -> String {
        let (major, minor, patch) = self.version;
        let name = match self.flavor {
            Flavor::Mysql => "MySQL",
            Flavor::Mariadb => "MariaDB",
        };
        format!("{name} {major}.{minor}.{patch}")
    }

    pub fn at_least(&self, major: u32, minor: u32, patch: u32) -> bool {
        self.version >= (major, minor, patch)
    }
}

pub(super) async fn read(session: &mut Session) -> Result<ServerInfo, String> {
    let rows = session
        .rows("server", "SELECT VERSION(), DATABASE()")
        .await?;
    let row = rows
        .first()
        .ok_or_else(|| "reading server: the server returned no row".to_string())?;
    let version_text = row.owned(0);
    let database = row.opt(1).map(str::to_string).ok_or_else(|| {
        "the connection URL names no database (mysql://user@host/DATABASE): drizzle-drift reads \
         the tables of one database, as drizzle-kit does"
            .to_string()
    })?;
    Ok(ServerInfo {
        flavor: flavor(&version_text),
        version: version_numbers(&version_text),
        database,
    })
}

fn flavor(version: &str) -> Flavor {
    if version.to_ascii_lowercase().contains("mariadb") {
        Flavor::Mariadb
    } else {
        Flavor::Mysql
    }
}

/// `10.11.19-MariaDB-0+deb12u1` → (10, 11, 19); `5.5.5-10.4.1-MariaDB` → (10, 4, 1) (the
/// replication-compatibility prefix some proxies still add).
fn version_numbers(version: &str) -> (u32, u32, u32) {
    let version = version.strip_prefix("5.5.5-").unwrap_or(version);
    let mut parts = version
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_flavors() {
        assert_eq!(version_numbers("10.11.19-MariaDB-0+deb12u1"), (10, 11, 19));
        assert_eq!(version_numbers("5.5.5-10.4.1-MariaDB"), (10, 4, 1));
        assert_eq!(version_numbers("8.0.36"), (8, 0, 36));
        assert_eq!(version_numbers("8.4.0-commercial"), (8, 4, 0));
        assert_eq!(version_numbers(""), (0, 0, 0));
        assert_eq!(flavor("11.4.2-MariaDB-log"), Flavor::Mariadb);
        assert_eq!(flavor("8.0.36"), Flavor::Mysql);
    }
}
