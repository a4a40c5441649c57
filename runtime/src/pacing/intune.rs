//! Intune's documented budgets per workload, per app per tenant per 20 seconds: which route
//! families they cover, and how many writes and requests each allows.

use std::time::Duration;

/// Intune's window.
pub(super) const WINDOW: Duration = Duration::from_secs(20);
/// Writes per window of most workloads (device configuration, compliance, apps, enrollment).
pub(super) const WRITES: u32 = 100;

/// The workloads with twice the common budgets: managed devices and scripts.
const LARGER: [&str; 6] = [
    "/deviceManagement/managedDevices",
    "/deviceManagement/deviceManagementScripts",
    "/deviceManagement/deviceShellScripts",
    "/deviceManagement/deviceHealthScripts",
    "/deviceManagement/deviceComplianceScripts",
    "/deviceManagement/deviceCustomAttributeShellScripts",
];

/// The roots of Intune's routes: a workload is one of their children.
const ROOTS: [&str; 2] = ["/deviceManagement/", "/deviceAppManagement/"];

/// The budgets of one workload in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Budgets {
    pub(super) writes: u32,
    pub(super) requests: u32,
}

/// The budgets of the workload `workload` (a route family, `/deviceManagement/managedDevices`),
/// or `None` for a route outside Intune.
pub(super) fn budgets(workload: &str) -> Option<Budgets> {
    let child = ROOTS.iter().find_map(|root| workload.strip_prefix(root))?;
    if child.is_empty() || child.contains('/') {
        return None;
    }
    Some(if LARGER.contains(&workload) { Budgets { writes: 200, requests: 2_000 } } else { Budgets { writes: WRITES, requests: 1_000 } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workloads_have_the_documented_budgets() {
        let (common, larger) = (Budgets { writes: 100, requests: 1_000 }, Budgets { writes: 200, requests: 2_000 });
        for (workload, expected) in [
            ("/deviceManagement/deviceConfigurations", Some(common)),
            ("/deviceManagement/deviceCompliancePolicies", Some(common)),
            ("/deviceManagement/deviceEnrollmentConfigurations", Some(common)),
            ("/deviceAppManagement/mobileApps", Some(common)),
            ("/deviceManagement/managedDevices", Some(larger)),
            ("/deviceManagement/deviceManagementScripts", Some(larger)),
            ("/deviceManagement/deviceHealthScripts", Some(larger)),
            ("/deviceManagement", None),
            ("/users", None),
            ("/$batch", None),
            ("", None),
        ] {
            assert_eq!(budgets(workload), expected, "{workload}");
        }
    }
}
