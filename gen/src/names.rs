//! Rust names for Graph's names: types (unique across the whole metadata, so that a type keeps
//! its name whatever else is generated with it), fields and enum variants (unique in their item).

use crate::csdl::{Kind, Metadata};
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, HashSet};

/// The namespace whose types get plain names; types of other namespaces are prefixed with
/// the rest of their namespace (`microsoft.graph.security.alert` → `SecurityAlert`).
pub const MAIN_NAMESPACE: &str = "microsoft.graph";

/// Names the generated code itself uses unqualified, which no generated type may take.
const RESERVED_TYPES: &[&str] = &["Option", "Some", "None", "Vec", "String", "Box", "Result", "Ok", "Err", "Self", "Default"];

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop",
    "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof",
    "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// The Rust names of every entity, complex and enum type of one metadata document.
#[derive(Debug, Clone, Default)]
pub struct TypeNames {
    primary: BTreeMap<String, String>,
    base_struct: BTreeMap<String, String>,
    flags: BTreeMap<String, String>,
}

impl TypeNames {
    /// Names every type of `meta`. Types of [`MAIN_NAMESPACE`] are named first, so that they
    /// keep their plain names when a prefixed name of another namespace would collide.
    pub fn new(meta: &Metadata) -> TypeNames {
        let mut taken: HashSet<String> = RESERVED_TYPES.iter().map(|s| s.to_string()).collect();
        let mut names = TypeNames::default();
        let mut order: Vec<&String> = meta.types.keys().collect();
        order.sort_by_key(|full| (meta.types[*full].namespace != MAIN_NAMESPACE, *full));
        for full in &order {
            let def = &meta.types[*full];
            let mut wanted = def.name.to_upper_camel_case();
            if let Some(rest) = def.namespace.strip_prefix(MAIN_NAMESPACE).and_then(|r| r.strip_prefix('.')) {
                wanted = format!("{}{wanted}", rest.replace('.', "_").to_upper_camel_case());
            } else if def.namespace != MAIN_NAMESPACE {
                wanted = format!("{}{wanted}", def.namespace.replace('.', "_").to_upper_camel_case());
            }
            if wanted.starts_with(|c: char| c.is_ascii_digit()) || wanted.is_empty() {
                wanted = format!("T{wanted}");
            }
            names.primary.insert((*full).clone(), unique(&wanted, &mut taken));
        }
        // Second names, taken after every primary name so that they never push one aside.
        for full in &order {
            let def = &meta.types[*full];
            let primary = names.primary[*full].clone();
            if def.kind != Kind::Enum && meta.derived.contains_key(*full) {
                let name = first_free(&[format!("{primary}Base"), format!("{primary}BaseType")], &mut taken);
                names.base_struct.insert((*full).clone(), name);
            }
            if def.kind == Kind::Enum && def.is_flags {
                let name = first_free(&[format!("{primary}Flags"), format!("{primary}Set")], &mut taken);
                names.flags.insert((*full).clone(), name);
            }
        }
        names
    }

    /// The type's own name: the struct, the enum, or (for a polymorphic base) the enum over
    /// its subtypes.
    pub fn primary(&self, full: &str) -> &str {
        &self.primary[full]
    }

    /// For a type with derived types: the name of the struct of its own properties when the
    /// type is generated as a polymorphic enum.
    pub fn base_struct(&self, full: &str) -> &str {
        &self.base_struct[full]
    }

    /// For a flags enum: the name of the set of its members.
    pub fn flags(&self, full: &str) -> &str {
        &self.flags[full]
    }
}

fn unique(wanted: &str, taken: &mut HashSet<String>) -> String {
    let mut name = wanted.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{wanted}{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

fn first_free(candidates: &[String], taken: &mut HashSet<String>) -> String {
    for c in candidates {
        if !taken.contains(c) {
            taken.insert(c.clone());
            return c.clone();
        }
    }
    unique(&candidates[0], taken)
}

/// A valid Rust identifier for `word` (already cased): keywords become raw identifiers
/// (`r#type`), or take a `_` suffix where Rust allows no raw form (`self_`).
pub fn escape_keyword(word: &str) -> String {
    if NOT_RAW.contains(&word) || word == "_" {
        format!("{word}_")
    } else if KEYWORDS.contains(&word) {
        format!("r#{word}")
    } else {
        word.to_string()
    }
}

/// Hands out field names of one struct: snake_case, keywords escaped, and a numeric suffix
/// for names that collide after snake_casing (`isOK` and `isOk`).
#[derive(Debug, Default)]
pub struct FieldNames {
    taken: HashSet<String>,
}

impl FieldNames {
    /// The field name for a Graph property name.
    pub fn field(&mut self, graph_name: &str) -> String {
        let mut snake = graph_name.to_snake_case();
        if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
            snake = format!("f_{snake}");
        }
        self.take(&escape_keyword(&snake))
    }

    /// Takes `wanted`, or `wanted_2`, `wanted_3`... when it is taken.
    pub fn take(&mut self, wanted: &str) -> String {
        let bare = wanted.trim_start_matches("r#");
        let mut name = wanted.to_string();
        let mut n = 2;
        while self.taken.contains(name.trim_start_matches("r#")) {
            name = format!("{bare}_{n}");
            n += 1;
        }
        self.taken.insert(name.trim_start_matches("r#").to_string());
        name
    }
}

/// Hands out variant names of one enum: UpperCamelCase, unique in the enum.
#[derive(Debug, Default)]
pub struct VariantNames {
    taken: HashSet<String>,
}

impl VariantNames {
    /// Reserves a name (for a variant the generator adds itself).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// The variant name for a Graph name (an enum member, or an already cased type name).
    pub fn variant(&mut self, graph_name: &str) -> String {
        let mut camel = graph_name.to_upper_camel_case();
        if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) {
            camel = format!("V{camel}");
        }
        if camel == "Self" {
            camel = "Self_".into();
        }
        let mut name = camel.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{camel}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// The variant name of subtype `sub` in the enum of `base` (both UpperCamelCase): `sub` less
/// the longest word suffix it shares with `base` (`Windows10GeneralConfiguration` in
/// `DeviceConfiguration` → `Windows10General`), or `sub` itself when nothing would be left.
pub fn subtype_variant(base: &str, sub: &str) -> String {
    let words = split_words(base);
    for start in 0..words.len() {
        let suffix: String = words[start..].concat();
        if let Some(rest) = sub.strip_suffix(suffix.as_str())
            && rest.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return rest.to_string();
        }
    }
    sub.to_string()
}

fn split_words(camel: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in camel.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&camel[start..i]);
            start = i;
        }
    }
    words.push(&camel[start..]);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let mut f = FieldNames::default();
        assert_eq!(f.field("type"), "r#type");
        assert_eq!(f.field("self"), "self_");
        assert_eq!(f.field("isOK"), "is_ok");
        assert_eq!(f.field("isOk"), "is_ok_2");
        assert_eq!(f.field("given_name"), "given_name");
        assert_eq!(f.field("match"), "r#match");
        assert_eq!(f.take("r#match"), "match_2");
    }

    #[test]
    fn variants() {
        let mut v = VariantNames::default();
        v.reserve("Unrecognized");
        assert_eq!(v.variant("self"), "Self_");
        assert_eq!(v.variant("tls1_0"), "Tls10");
        assert_eq!(v.variant("tls10"), "Tls102");
        assert_eq!(v.variant("unrecognized"), "Unrecognized2");
        assert_eq!(subtype_variant("DeviceConfiguration", "Windows10GeneralConfiguration"), "Windows10General");
        assert_eq!(subtype_variant("DeviceConfiguration", "IosGeneralDeviceConfiguration"), "IosGeneral");
        assert_eq!(subtype_variant("DeviceAndAppManagementAssignmentTarget", "GroupAssignmentTarget"), "Group");
        assert_eq!(subtype_variant("Entity", "Entity"), "Entity");
        assert_eq!(subtype_variant("Entity", "User"), "User");
    }
}
