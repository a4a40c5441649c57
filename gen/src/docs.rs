//! Doc comments from the metadata's descriptions, and the layout of the generated file.

/// The description as doc lines: trimmed (no indented code blocks), code fences, brackets and
/// angle brackets escaped (no doctests, links or HTML tags from prose), bare URLs in `<>`.
pub fn description_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else { return Vec::new() };
    text.lines()
        .map(str::trim)
        .map(|line| {
            let escaped = line
                .replace('\\', "\\\\")
                .replace("```", "\\`\\`\\`")
                .replace('[', "\\[")
                .replace(']', "\\]")
                .replace('<', "\\<")
                .replace('>', "\\>");
            escaped.split(' ').map(wrap_url).collect::<Vec<_>>().join(" ")
        })
        .collect::<Vec<_>>()
        .into_iter()
        .skip_while(String::is_empty)
        .collect()
}

/// A blank line between top-level items (which are the only lines that start unindented).
pub(crate) fn separate_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous_closed = false;
    for line in code.lines() {
        let starts_item = ["///", "#[", "pub ", "impl", "mod ", "fn "].iter().any(|p| line.starts_with(p));
        if previous_closed && starts_item {
            out.push('\n');
        }
        previous_closed = !line.starts_with(char::is_whitespace) && (line.ends_with('}') || line.ends_with(';'));
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A word with a URL in it, the URL put in `<>` (rustdoc's `bare_urls`).
fn wrap_url(word: &str) -> String {
    let Some(start) = word.find("https://").or_else(|| word.find("http://")) else { return word.to_string() };
    let rest = &word[start..];
    let url = rest.trim_end_matches(['.', ',', ';', ':', ')', '\\', ']']);
    format!("{}<{url}>{}", &word[..start], &rest[url.len()..])
}

/// `#[doc = " line"]` attributes (one per line; an empty string is a paragraph break).
pub(crate) fn doc_attrs(lines: &[String]) -> String {
    lines.iter().map(|l| if l.is_empty() { "#[doc = \"\"]\n".to_string() } else { format!("#[doc = {:?}]\n", format!(" {l}")) }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_tamed() {
        let lines = description_lines(Some("  See [docs](https://x.y/z). Use <b>bold</b>\n    code block\n```rust"));
        assert_eq!(lines, ["See \\[docs\\](<https://x.y/z>). Use \\<b\\>bold\\</b\\>", "code block", "\\`\\`\\`rust"]);
    }
}
