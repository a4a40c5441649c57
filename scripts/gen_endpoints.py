#!/usr/bin/env python3
"""Generates a user crate from real Graph routes (macros/tests/data/graph-routes.tsv).

  gen_endpoints.py macro  OUT_DIR [--count N] [--workspace PATH]
      one #[graph_endpoint] definition per route
  gen_endpoints.py manual OUT_DIR [--count N]
      the same operations written by hand: async functions over reqwest
  gen_endpoints.py sample FILE [--every K]
      a compile-pass test with every K-th route (default 60)
      (format! the URL, send .json(&body), decode the response)

Only well-formed routes are used (a repeated parameter, a trailing `/` or a space is
malformed). With --count N the first N (in corpus order) are taken; without it, all of them.
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "macros", "tests", "data", "graph-routes.tsv")
KEYWORDS = set("""as break const continue crate else enum extern false fn for if impl in let loop match mod
move mut pub ref return self Self static struct super trait true type unsafe use where while async await
dyn abstract become box do final macro override priv typeof unsized virtual yield try gen""".split())


def routes():
    with open(CORPUS) as f:
        next(f)
        for line in f:
            method, template, version = line.rstrip("\n").split("\t")
            params = re.findall(r"\{([^{}]*)\}", template)
            fields = [snake(p) for p in params]
            if template.endswith("/") or " " in template or len(fields) != len(set(fields)):
                continue
            yield method, template, version, params


def snake(name):
    """A plain snake_case conversion, as a user would write the field by hand."""
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = s.replace("-", "_").lower()
    s = re.sub(r"_+", "_", s)
    return "r#" + s if s in KEYWORDS else s


def fields(params):
    names = [snake(p) for p in params]
    return names


MODEL = """
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Item {
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    pub id: Option<String>,
    #[serde(rename = "displayName")]
    pub display_name: Option<String>,
}
"""


def gen_macro(selected):
    out = ["#![allow(dead_code)]", "use graph_endpoint::graph_endpoint;", MODEL]
    for i, (method, template, version, params) in enumerate(selected):
        body = method in ("POST", "PATCH", "PUT")
        out.append(f'#[graph_endpoint({method} "{template}", version = "{version}", response = Option<Item>)]')
        out.append(f"pub struct Op{i} {{")
        for name in fields(params):
            out.append(f"    pub {name}: String,")
        if body:
            out.append("    #[graph(body)]")
            out.append("    pub body: Item,")
        out.append("}")
    return "\n".join(out) + "\n"


def gen_manual(selected):
    out = ["#![allow(dead_code, clippy::all)]", MODEL, """
#[derive(Debug)]
pub enum CallError {
    Http(reqwest::Error),
    Status(u16, String),
    Decode(serde_json::Error),
}

impl From<reqwest::Error> for CallError {
    fn from(e: reqwest::Error) -> Self {
        CallError::Http(e)
    }
}
"""]
    for i, (method, template, version, params) in enumerate(selected):
        body = method in ("POST", "PATCH", "PUT")
        names = [n.replace("r#", "") + "_" for n in fields(params)]
        fmt = template
        for p in params:
            fmt = fmt.replace("{" + p + "}", "{}")
        args = "".join(f", {n}: &str" for n in names)
        if body:
            args += ", body: &Item"
        enc = "".join(f", percent_encoding::utf8_percent_encode({n}, percent_encoding::NON_ALPHANUMERIC)" for n in names)
        send = f"client.{method.lower()}(url)" + (".json(body)" if body else "")
        out.append(f"""pub async fn op{i}(client: &reqwest::Client, base: &str{args}) -> Result<Option<Item>, CallError> {{
    let url = format!("{{}}/{version}{fmt}", base{enc});
    let response = {send}.send().await?;
    let status = response.status();
    let bytes = response.bytes().await?;
    if !status.is_success() {{
        return Err(CallError::Status(status.as_u16(), String::from_utf8_lossy(&bytes).into_owned()));
    }}
    if bytes.is_empty() {{
        return Ok(None);
    }}
    serde_json::from_slice(&bytes).map_err(CallError::Decode)
}}""")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["macro", "manual", "sample"])
    parser.add_argument("out")
    parser.add_argument("--count", type=int)
    parser.add_argument("--every", type=int, default=60)
    args = parser.parse_args()
    selected = list(routes())
    if args.mode == "sample":
        sample = selected[:: args.every]
        header = ("//! Generated by scripts/gen_endpoints.py sample: every %d-th well-formed route of the\n"
                  "//! corpus (%d routes), written as a user would, must compile.\n\n" % (args.every, len(sample)))
        with open(args.out, "w") as f:
            f.write(header + gen_macro(sample) + "\nfn main() {}\n")
        return
    if args.count is not None:
        if args.count > len(selected):
            sys.exit(f"only {len(selected)} well-formed routes")
        selected = selected[: args.count]
    os.makedirs(os.path.join(args.out, "src"), exist_ok=True)
    name = f"generated-{args.mode}"
    if args.mode == "macro":
        deps = f'graph-endpoint = {{ path = "{ROOT}" }}\nserde = {{ version = "1", features = ["derive"] }}\n'
        code = gen_macro(selected)
    else:
        deps = ('reqwest = { version = "0.13", default-features = false, features = ["rustls", "http2", "json"] }\n'
                'serde = { version = "1", features = ["derive"] }\nserde_json = "1"\npercent-encoding = "2"\n')
        code = gen_manual(selected)
    with open(os.path.join(args.out, "Cargo.toml"), "w") as f:
        f.write(f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
                f'[dependencies]\n{deps}\n[workspace]\n')
    with open(os.path.join(args.out, "src", "lib.rs"), "w") as f:
        f.write(code)
    print(f"{len(selected)} operations -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
