//! Pacts for verification: consumer version selectors, pending status and
//! work-in-progress pacts, computed from a provider's publications.
//!
//! Every selector picks (consumer version → pact) rows; the union is then
//! deduplicated by (consumer, content), keeping the newest consumer version
//! and the description of every selector that chose it.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::error::BrokerError;
use crate::store::{BranchHead, PactRow, Verification};

/// A consumer version selector as clients send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Selector {
    main_branch: Option<bool>,
    branch: Option<String>,
    fallback_branch: Option<String>,
    matching_branch: Option<bool>,
    tag: Option<String>,
    fallback_tag: Option<String>,
    latest: Option<bool>,
    deployed: Option<bool>,
    released: Option<bool>,
    deployed_or_released: Option<bool>,
    environment: Option<String>,
    consumer: Option<String>,
}

impl Selector {
    /// Checks the combinations the Pact Broker allows.
    pub(crate) fn validate(&self, index: usize) -> Result<(), BrokerError> {
        let fail = |m: &str| {
            Err(BrokerError::invalid(
                format!("consumerVersionSelectors[{index}]"),
                m,
            ))
        };
        let only_true = [
            ("mainBranch", self.main_branch),
            ("matchingBranch", self.matching_branch),
            ("deployed", self.deployed),
            ("released", self.released),
            ("deployedOrReleased", self.deployed_or_released),
        ];
        if let Some((name, _)) = only_true.iter().find(|(_, v)| *v == Some(false)) {
            return fail(&format!("{name} may only be true"));
        }
        let branchy =
            self.main_branch.is_some() || self.branch.is_some() || self.matching_branch.is_some();
        let taggy = self.tag.is_some() || self.fallback_tag.is_some();
        let envy = self.deployed.is_some()
            || self.released.is_some()
            || self.deployed_or_released.is_some()
            || self.environment.is_some();
        if self.tag.is_some() && self.branch.is_some() {
            return fail("cannot combine tag with branch");
        }
        if (branchy || taggy || self.latest.is_some()) && envy {
            return fail(
                "cannot combine a branch, tag or latest with deployed, released or environment",
            );
        }
        if u8::from(self.deployed.is_some())
            + u8::from(self.released.is_some())
            + u8::from(self.deployed_or_released.is_some())
            > 1
        {
            return fail("use only one of deployed, released and deployedOrReleased");
        }
        if self.main_branch.is_some()
            && (self.branch.is_some() || taggy || self.matching_branch.is_some())
        {
            return fail("mainBranch can only be combined with consumer and latest");
        }
        if self.fallback_branch.is_some() && self.branch.is_none() {
            return fail("fallbackBranch needs branch");
        }
        if self.fallback_tag.is_some() && (self.tag.is_none() || self.latest != Some(true)) {
            return fail("fallbackTag needs tag and latest: true");
        }
        if (branchy && self.latest == Some(false))
            || (!branchy && !taggy && !envy && self.latest.is_none())
        {
            return fail(if branchy {
                "branch selectors are always latest"
            } else {
                "a selector needs mainBranch, branch, matchingBranch, tag, latest, deployed, released, deployedOrReleased or environment"
            });
        }
        Ok(())
    }

    /// The default selectors (empty list): main branch (else latest), plus
    /// deployed and released versions.
    fn defaults() -> Vec<Selector> {
        vec![
            Selector {
                main_branch: Some(true),
                ..Selector::default()
            },
            Selector {
                deployed: Some(true),
                ..Selector::default()
            },
            Selector {
                released: Some(true),
                ..Selector::default()
            },
        ]
    }
}

/// The request of `POST /pacts/provider/{p}/for-verification`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VerificationRequest {
    #[serde(default)]
    pub(crate) consumer_version_selectors: Vec<Selector>,
    pub(crate) provider_version_branch: Option<String>,
    #[serde(default)]
    pub(crate) provider_version_tags: Vec<String>,
    pub(crate) include_pending_status: Option<bool>,
    pub(crate) include_wip_pacts_since: Option<String>,
}

/// What the selection needs to know about a provider's consumers.
#[derive(Debug, Default)]
pub(crate) struct Inputs {
    /// Publications to the provider, oldest first per consumer.
    pub(crate) rows: Vec<PactRow>,
    /// Branch heads per consumer.
    pub(crate) heads: HashMap<String, Vec<BranchHead>>,
}

/// One pact chosen for verification.
#[derive(Debug, Clone)]
pub(crate) struct Chosen {
    /// The row of the newest consumer version that selected it.
    pub(crate) row: PactRow,
    /// Why, one line per selector (and consumer version).
    pub(crate) reasons: Vec<String>,
    /// Work in progress.
    pub(crate) wip: bool,
}

/// Applies the selectors; results are in consumer order.
pub(crate) fn select(request: &VerificationRequest, inputs: &Inputs) -> Vec<Chosen> {
    let selectors = if request.consumer_version_selectors.is_empty() {
        Selector::defaults()
    } else {
        request.consumer_version_selectors.clone()
    };
    let mut chosen: BTreeMap<(String, String), Chosen> = BTreeMap::new();
    for rows in by_consumer(&inputs.rows).values() {
        let heads = inputs
            .heads
            .get(&rows[0].consumer)
            .map_or(&[][..], Vec::as_slice);
        for selector in &selectors {
            if selector
                .consumer
                .as_ref()
                .is_some_and(|c| *c != rows[0].consumer)
            {
                continue;
            }
            let defaults = request.consumer_version_selectors.is_empty();
            let (picked, why) = pick(selector, rows, heads, request, defaults);
            for row in picked {
                let entry = chosen
                    .entry((row.consumer.clone(), row.sha.clone()))
                    .or_insert_with(|| Chosen {
                        row: row.clone(),
                        reasons: Vec::new(),
                        wip: false,
                    });
                if row.version_id != entry.row.version_id && newer(rows, row, &entry.row) {
                    entry.row = row.clone();
                }
                entry
                    .reasons
                    .push(format!("{why} ({})", row.version_number));
            }
        }
    }
    in_row_order(chosen.into_values().collect(), &inputs.rows)
}

/// Sorts chosen pacts by consumer, then oldest consumer version first.
fn in_row_order(mut chosen: Vec<Chosen>, rows: &[PactRow]) -> Vec<Chosen> {
    let position: HashMap<i64, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.version_id, i))
        .collect();
    chosen.sort_by_key(|c| {
        position
            .get(&c.row.version_id)
            .copied()
            .unwrap_or(usize::MAX)
    });
    chosen
}

fn by_consumer(rows: &[PactRow]) -> BTreeMap<&str, Vec<&PactRow>> {
    let mut map: BTreeMap<&str, Vec<&PactRow>> = BTreeMap::new();
    for row in rows {
        map.entry(row.consumer.as_str()).or_default().push(row);
    }
    map
}

fn newer(rows: &[&PactRow], a: &PactRow, b: &PactRow) -> bool {
    let position = |r: &PactRow| rows.iter().position(|x| x.version_id == r.version_id);
    position(a) > position(b)
}

fn head_row<'a>(rows: &[&'a PactRow], heads: &[BranchHead], branch: &str) -> Option<&'a PactRow> {
    let head = heads.iter().find(|h| h.branch == branch)?;
    rows.iter()
        .copied()
        .find(|r| r.version_id == head.version_id)
}

/// The rows one selector picks from one consumer's rows, and its description.
fn pick<'a>(
    s: &Selector,
    rows: &[&'a PactRow],
    heads: &[BranchHead],
    request: &VerificationRequest,
    defaults: bool,
) -> (Vec<&'a PactRow>, String) {
    let last = |f: &dyn Fn(&PactRow) -> bool| {
        rows.iter()
            .rev()
            .copied()
            .find(|r| f(r))
            .into_iter()
            .collect::<Vec<_>>()
    };
    if s.main_branch == Some(true) {
        let main = rows[0].consumer_main_branch.clone();
        let picked = main
            .as_deref()
            .and_then(|b| head_row(rows, heads, b))
            .into_iter()
            .collect::<Vec<_>>();
        if picked.is_empty()
            && defaults
            && main
                .as_deref()
                .is_none_or(|b| !heads.iter().any(|h| h.branch == b))
        {
            return (
                last(&|_| true),
                "latest pact (the consumer has no main branch)".into(),
            );
        }
        return (
            picked,
            "latest pact for a consumer version from the main branch".into(),
        );
    }
    let branch = s.branch.clone().or_else(|| {
        (s.matching_branch == Some(true))
            .then(|| request.provider_version_branch.clone())
            .flatten()
    });
    if let Some(branch) = branch {
        if let Some(row) = head_row(rows, heads, &branch) {
            return (
                vec![row],
                format!("latest pact for a consumer version from branch '{branch}'"),
            );
        }
        if let Some(fallback) = &s.fallback_branch {
            let picked = head_row(rows, heads, fallback).into_iter().collect();
            return (picked, format!("latest pact for a consumer version from branch '{fallback}' (fallback branch, as branch '{branch}' has none)"));
        }
        return (Vec::new(), String::new());
    }
    if let Some(tag) = &s.tag {
        if s.latest == Some(true) {
            let picked = last(&|r| r.tags.contains(tag));
            if picked.is_empty() {
                if let Some(fallback) = &s.fallback_tag {
                    return (
                        last(&|r| r.tags.contains(fallback)),
                        format!(
                            "latest pact for a consumer version tagged '{fallback}' (fallback tag)"
                        ),
                    );
                }
            }
            return (
                picked,
                format!("latest pact for a consumer version tagged '{tag}'"),
            );
        }
        let all = rows
            .iter()
            .copied()
            .filter(|r| r.tags.contains(tag))
            .collect();
        return (
            all,
            format!("pacts for all consumer versions tagged '{tag}'"),
        );
    }
    let env = s.environment.as_ref();
    let in_env = |list: &[String]| env.map_or(!list.is_empty(), |e| list.contains(e));
    let place = env.map_or_else(|| "any environment".to_owned(), |e| format!("'{e}'"));
    if s.deployed == Some(true) {
        return (
            rows.iter()
                .copied()
                .filter(|r| in_env(&r.deployed_in))
                .collect(),
            format!("consumer version(s) currently deployed to {place}"),
        );
    }
    if s.released == Some(true) {
        return (
            rows.iter()
                .copied()
                .filter(|r| in_env(&r.released_in))
                .collect(),
            format!("consumer version(s) released and supported in {place}"),
        );
    }
    if s.deployed_or_released == Some(true) || env.is_some() {
        let picked = rows
            .iter()
            .copied()
            .filter(|r| in_env(&r.deployed_in) || in_env(&r.released_in))
            .collect();
        return (
            picked,
            format!("consumer version(s) currently deployed or released in {place}"),
        );
    }
    if s.latest == Some(true) {
        return (
            last(&|_| true),
            "latest pact between a consumer and the provider".into(),
        );
    }
    (Vec::new(), String::new())
}

/// Whether content is pending for the provider's current line of work
/// (section 5.6 of the notes): its branch, else each of its tags (legacy),
/// else the provider as a whole. A line of work inherits the successful
/// verifications made before it was created; one that does not exist yet
/// (its first build is asking) inherits them all, as in the Pact Broker.
/// Each line comes with its creation time, if it exists.
pub(crate) fn is_pending(
    verifications: &[&Verification],
    branch: Option<(&str, Option<&str>)>,
    tags: &[(String, Option<String>)],
) -> bool {
    let good: Vec<&&Verification> = verifications
        .iter()
        .filter(|v| v.success && !v.wip)
        .collect();
    let before =
        |created: Option<&str>, v: &Verification| created.is_none_or(|c| v.created_at.as_str() < c);
    if let Some((branch, created)) = branch {
        return !good
            .iter()
            .any(|v| v.provider_branches.iter().any(|b| b == branch) || before(created, v));
    }
    if !tags.is_empty() {
        return tags.iter().any(|(tag, created)| {
            !good
                .iter()
                .any(|v| v.provider_tags.contains(tag) || before(created.as_deref(), v))
        });
    }
    good.is_empty()
}

/// Work-in-progress candidates: pacts of every consumer branch head and
/// latest tagged version published since `since`, not chosen already.
pub(crate) fn wip_candidates(inputs: &Inputs, since: &str, chosen: &[Chosen]) -> Vec<Chosen> {
    let mut out: BTreeMap<(String, String), Chosen> = BTreeMap::new();
    for (consumer, rows) in by_consumer(&inputs.rows) {
        let heads = inputs.heads.get(consumer).map_or(&[][..], Vec::as_slice);
        let mut candidates: Vec<(&PactRow, String)> = Vec::new();
        for head in heads {
            if let Some(row) = head_row(&rows, heads, &head.branch) {
                candidates.push((row, format!("latest pact for a consumer version from branch '{}', published since {since}", head.branch)));
            }
        }
        let mut tags: Vec<&String> = rows.iter().flat_map(|r| r.tags.iter()).collect();
        tags.sort();
        tags.dedup();
        for tag in tags {
            if let Some(row) = rows.iter().rev().find(|r| r.tags.contains(tag)) {
                candidates.push((row, format!("latest pact for a consumer version tagged '{tag}', published since {since}")));
            }
        }
        for (row, why) in candidates {
            let taken = chosen
                .iter()
                .any(|c| c.row.consumer == row.consumer && c.row.sha == row.sha);
            if taken || row.published_at.as_str() < since {
                continue;
            }
            let entry = out
                .entry((row.consumer.clone(), row.sha.clone()))
                .or_insert_with(|| Chosen {
                    row: row.clone(),
                    reasons: Vec::new(),
                    wip: true,
                });
            entry
                .reasons
                .push(format!("{why} ({})", row.version_number));
        }
    }
    in_row_order(out.into_values().collect(), &inputs.rows)
}
