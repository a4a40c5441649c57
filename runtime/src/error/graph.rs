//! Graph's error body, `{"error":{"code","message","innerError":{...}}}`, and what an error
//! keeps of a body that is not one.

use serde::Deserialize;

/// Longest body snippet kept in an error.
pub(crate) const SNIPPET_LIMIT: usize = 1024;

/// Longest text kept of what Graph's error body says (`message`, `code`, the ids), in
/// characters; longer text is cut there and ends with `…`.
pub(crate) const MESSAGE_LIMIT: usize = 1024;

/// Graph's error body.
#[derive(Deserialize)]
pub(super) struct ErrorBody {
    pub(super) error: Option<GraphError>,
}

#[derive(Deserialize)]
pub(super) struct GraphError {
    pub(super) code: Option<String>,
    pub(super) message: Option<String>,
    #[serde(rename = "innerError", alias = "innererror", alias = "InnerError")]
    pub(super) inner_error: Option<InnerError>,
}

#[derive(Deserialize, Default)]
pub(super) struct InnerError {
    pub(super) code: Option<String>,
    #[serde(rename = "request-id", alias = "requestId")]
    pub(super) request_id: Option<String>,
    #[serde(rename = "client-request-id", alias = "clientRequestId")]
    pub(super) client_request_id: Option<String>,
    pub(super) date: Option<String>,
}

/// Intune puts a JSON document in `message` (`{"_version":3,"Message":"An error has
/// occurred - Operation ID ...", ...}`): take its `Message` when it is one.
pub(super) fn unwrap_nested_message(message: &str) -> String {
    let trimmed = message.trim();
    if trimmed.starts_with('{')
        && let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(trimmed)
        && let Some(serde_json::Value::String(inner)) = map.get("Message").or_else(|| map.get("message"))
    {
        return inner.clone();
    }
    message.to_owned()
}

pub(super) fn reason_suffix(status: u16) -> String {
    http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).map(|r| format!(" ({r})")).unwrap_or_default()
}

/// At most [`SNIPPET_LIMIT`] bytes of a body, cut at a character boundary.
pub(super) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_LIMIT)]);
    let mut text = text.into_owned();
    while text.len() > SNIPPET_LIMIT {
        text.pop();
    }
    text
}

/// `text` made safe to show on one line of a log: terminal escape sequences (`ESC [ ... m`,
/// `ESC ] ... BEL`) and control characters removed, invisible direction marks removed, runs of
/// white space (`\r`, `\n`, tabs included) made one space, and cut after `limit` characters
/// with `…`.
pub(crate) fn clean(text: &str, limit: usize) -> String {
    let mut shown = String::with_capacity(text.len().min(limit * 4 + 3));
    let (mut count, mut space) = (0usize, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A control sequence: ESC [ (or the one-character CSI) up to its final byte.
            '\u{1b}' if chars.peek() == Some(&'[') => {
                chars.next();
                skip_csi(&mut chars);
            }
            '\u{9b}' => skip_csi(&mut chars),
            // A string sequence (OSC, DCS, ...) up to BEL or ESC \\.
            '\u{1b}' if matches!(chars.peek(), Some(']' | 'P' | 'X' | '^' | '_')) => {
                chars.next();
                while let Some(n) = chars.next() {
                    if n == '\u{7}' || n == '\u{9c}' {
                        break;
                    }
                    if n == '\u{1b}' {
                        chars.next_if_eq(&'\\');
                        break;
                    }
                }
            }
            // Any other escape: ESC and the character it introduces.
            '\u{1b}' => {
                chars.next();
            }
            c if c.is_whitespace() => space = count > 0,
            c if c.is_control() || invisible(c) => {}
            c => {
                if count + usize::from(space) >= limit {
                    shown.push('…');
                    break;
                }
                if space {
                    shown.push(' ');
                    count += 1;
                    space = false;
                }
                shown.push(c);
                count += 1;
            }
        }
    }
    shown
}

/// Skips a control sequence's parameters up to its final byte (`@` to `~`).
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for n in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&n) {
            break;
        }
    }
}

/// Characters that change how text around them shows without showing themselves: zero-width
/// marks and the bidirectional overrides and isolates.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_removes_escapes_and_controls_and_cuts() {
        assert_eq!(clean("a\r\nb\t c", 100), "a b c");
        assert_eq!(clean("\u{1b}[31mred\u{1b}[0m \u{1b}]0;title\u{7}ok\u{1b}c!", 100), "red ok!");
        assert_eq!(clean("x\u{0}\u{7f}\u{85}y\u{202e}z\u{9b}2Jw", 100), "x yzw");
        assert_eq!(clean("  lead and trail  ", 100), "lead and trail");
        assert_eq!(clean(&"é".repeat(2000), 1024).chars().count(), 1025);
        assert!(clean(&"é".repeat(2000), 1024).ends_with("é…"));
        assert_eq!(clean(&"é".repeat(1024), 1024), "é".repeat(1024));
        assert_eq!(clean("ab cd", 4), "ab c…");
        assert_eq!(clean("abc d", 3), "abc…");
    }
}
