//! What pacing is keyed by: the kind of a request (a read or a write) and its workload (the
//! family of routes it belongs to), and what one attempt asks of the pacer.
//!
//! Graph's budgets are per workload and kind (Intune's: per app and tenant, writes and all
//! requests of device configurations, of managed devices, of apps, ...). A `$batch` request
//! carries the keys of its items, each by its own route, not `/$batch`.

/// A read (`GET`) or a write (`POST`, `PUT`, `PATCH`, `DELETE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Read,
    Write,
}

impl Kind {
    pub(crate) fn of(method: &http::Method) -> Kind {
        if method == http::Method::GET { Kind::Read } else { Kind::Write }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Read => "read",
            Kind::Write => "write",
        }
    }
}

/// The family of routes a request belongs to: the literal start of its path template, at most
/// two segments, up to the first parameter. `/deviceManagement/managedDevices/{id}/wipe` and
/// `/deviceManagement/managedDevices` are both `/deviceManagement/managedDevices`;
/// `/users/{id}/memberOf` is `/users`; `/users('{id}')` is `/users`. Taken from the template,
/// never from a filled path, so it holds no ids; a slice of it, so it costs nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Workload(&'static str);

impl Workload {
    /// Segments of a template that make its workload.
    const SEGMENTS: usize = 2;

    pub(crate) fn of(template: &'static str) -> Workload {
        let mut end = 0;
        for _ in 0..Self::SEGMENTS {
            let rest = &template[end..];
            let Some(segment) = rest.strip_prefix('/') else { break };
            let length = segment.find('/').unwrap_or(segment.len());
            let literal = segment[..length].find(['{', '(']).unwrap_or(length);
            if literal > 0 {
                end += 1 + literal;
            }
            if literal < length {
                break;
            }
        }
        Workload(&template[..end])
    }

    /// The workload as its route prefix (`/deviceManagement/managedDevices`); empty for a
    /// template that starts with a parameter.
    pub(crate) fn as_str(self) -> &'static str {
        self.0
    }
}

/// The kind and the workload of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub(crate) kind: Kind,
    pub(crate) workload: Workload,
}

impl Key {
    /// The key of a request with this method and path template.
    pub(crate) fn of(method: &http::Method, template: &'static str) -> Key {
        Key { kind: Kind::of(method), workload: Workload::of(template) }
    }
}

/// What one attempt asks of the pacer: one request, or the items of a `$batch` (each counted
/// as one request).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Load<'a> {
    One(Key),
    Items(&'a [Key]),
}

impl Load<'_> {
    /// The keys of the requests.
    pub(crate) fn keys(&self) -> &[Key] {
        match self {
            Load::One(key) => std::slice::from_ref(key),
            Load::Items(keys) => keys,
        }
    }

    /// How many requests the attempt is.
    pub(crate) fn len(&self) -> u32 {
        u32::try_from(self.keys().len()).unwrap_or(u32::MAX)
    }

    /// How many of them are of `kind`.
    pub(crate) fn count(&self, kind: Kind) -> u32 {
        u32::try_from(self.keys().iter().filter(|key| key.kind == kind).count()).unwrap_or(u32::MAX)
    }

    /// The kind the attempt is held back by: a write if any of its requests writes.
    pub(crate) fn kind(&self) -> Kind {
        if self.count(Kind::Write) > 0 { Kind::Write } else { Kind::Read }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workloads_are_the_literal_start_of_the_template() {
        for (template, workload) in [
            ("/deviceManagement/managedDevices/{managedDeviceId}/wipe", "/deviceManagement/managedDevices"),
            ("/deviceManagement/managedDevices", "/deviceManagement/managedDevices"),
            ("/deviceManagement/deviceConfigurations/{id}/assignments/{assignmentId}", "/deviceManagement/deviceConfigurations"),
            (
                "/deviceAppManagement/mobileApps/{mobileAppId}/microsoft.graph.win32LobApp/contentVersions",
                "/deviceAppManagement/mobileApps",
            ),
            ("/users/{userId}/memberOf", "/users"),
            ("/users('{userId}')", "/users"),
            ("/reports/getOffice365ActiveUserDetail(period='{period}')", "/reports/getOffice365ActiveUserDetail"),
            ("/me", "/me"),
            ("/{id}", ""),
            ("/$batch", "/$batch"),
        ] {
            assert_eq!(Workload::of(template).as_str(), workload, "{template}");
        }
    }

    #[test]
    fn a_load_is_held_back_as_a_write_if_any_item_writes() {
        let workload = Workload::of("/users/{id}");
        let (read, write) = (Key { kind: Kind::Read, workload }, Key { kind: Kind::Write, workload });
        assert_eq!(Load::One(read).kind(), Kind::Read);
        assert_eq!(Load::Items(&[read, read]).kind(), Kind::Read);
        let mixed = Load::Items(&[read, write, read]);
        assert_eq!((mixed.kind(), mixed.len(), mixed.count(Kind::Write)), (Kind::Write, 3, 1));
        assert_eq!(Key::of(&http::Method::PATCH, "/users/{id}"), write);
    }
}
