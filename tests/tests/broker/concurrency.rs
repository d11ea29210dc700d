//! Concurrent publishers and verifiers against the running binary: forty
//! clients released at once by a barrier, then exact counts through the
//! API (no lost write, no duplicate): versions, shared contents, tags,
//! branches, verification results, one environment when forty clients
//! race to create the same name, one current deployment when forty
//! versions are deployed to one instance at once, one label and one
//! webhook when forty clients write the same ones.

use std::sync::{Arc, Barrier};
use std::thread;

use serde_json::{json, Value};

use crate::wire::{path_of, publication, Answer, Call};
use crate::{pact, BrokerProcess};

const CLIENTS: usize = 40;

/// Runs `CLIENTS` closures at once (released together by a barrier) and
/// returns their answers in order.
fn at_once<F>(base: &str, work: F) -> Vec<Vec<Answer>>
where
    F: Fn(usize) -> Vec<Call> + Send + Sync + 'static,
{
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let work = Arc::new(work);
    let threads: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (barrier, work, base) = (Arc::clone(&barrier), Arc::clone(&work), base.to_owned());
            thread::spawn(move || {
                let calls = work(i);
                barrier.wait();
                calls.iter().map(|c| c.expect(&base)).collect::<Vec<_>>()
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn get(base: &str, path: &str) -> Value {
    let answer = Call::get(path).expect(base);
    assert_eq!(answer.status, 200, "{path}: {}", answer.text);
    answer.json
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("no list in {list}"))
        .iter()
        .map(|v| v[key].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn forty_publishers_and_verifiers_at_once_lose_and_duplicate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let base = broker.url.clone();
    // Ten consumer versions with distinct content, for the verifiers.
    let mut results = Vec::new();
    for n in 0..10 {
        let answer = Call::new("POST", "/contracts/publish")
            .json(&publication(
                &pact("Foo", "Bar", &format!("old{n}")),
                &format!("1.0.{n}"),
                None,
                &[],
            ))
            .expect(&base);
        assert_eq!(answer.status, 200, "{}", answer.text);
        let doc = get(
            &base,
            &format!("/pacts/provider/Bar/consumer/Foo/version/1.0.{n}"),
        );
        results.push(path_of(
            &doc["_links"]["pb:publish-verification-results"]["href"],
        ));
    }

    // Even clients publish (five distinct contents over twenty versions);
    // odd clients verify, tag their provider version and put it on main.
    let answers = at_once(&base, move |i| {
        let k = i / 2;
        if i % 2 == 0 {
            vec![Call::new("POST", "/contracts/publish").json(&publication(
                &pact("Foo", "Bar", &format!("new{}", k % 5)),
                &format!("2.0.{k}"),
                Some(&format!("b{}", k % 2)),
                &[&format!("t{}", k % 4)],
            ))]
        } else {
            let provider_version = format!("9.0.{k}");
            vec![
                Call::new("POST", &results[k % 10]).json(&json!({
                    "providerApplicationVersion": provider_version,
                    "success": k % 3 != 0,
                })),
                Call::new(
                    "PUT",
                    format!("/pacticipants/Bar/versions/{provider_version}/tags/prod"),
                )
                .json(&json!({})),
                Call::new(
                    "PUT",
                    format!("/pacticipants/Bar/branches/main/versions/{provider_version}"),
                )
                .json(&json!({})),
            ]
        }
    });
    for (i, client) in answers.iter().enumerate() {
        for answer in client {
            assert!(
                (200..300).contains(&answer.status),
                "client {i}: {} {}",
                answer.status,
                answer.text
            );
        }
    }

    let versions = get(&base, "/pacticipants/Foo/versions");
    let mut numbers = names(&versions["_embedded"]["versions"], "number");
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 30, "{numbers:?}");
    let providers = get(&base, "/pacticipants/Bar/versions");
    assert_eq!(
        names(&providers["_embedded"]["versions"], "number").len(),
        20,
        "{providers}"
    );
    // Twenty publications of five contents: five pact versions.
    let mut shas: Vec<String> = (0..20)
        .map(|k| {
            let doc = get(
                &base,
                &format!("/pacts/provider/Bar/consumer/Foo/version/2.0.{k}"),
            );
            assert_eq!(
                doc["interactions"][0]["description"],
                format!("a request for new{}", k % 5)
            );
            doc["_links"]["pb:pact-version"]["name"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    shas.sort_unstable();
    shas.dedup();
    assert_eq!(shas.len(), 5, "{shas:?}");
    for k in 0..20 {
        let version = get(&base, &format!("/pacticipants/Bar/versions/9.0.{k}"));
        assert_eq!(
            names(&version["_embedded"]["tags"], "name"),
            ["prod"],
            "{version}"
        );
        assert_eq!(
            names(&version["_embedded"]["branchVersions"], "name"),
            ["main"],
            "{version}"
        );
        let consumer = get(&base, &format!("/pacticipants/Foo/versions/2.0.{k}"));
        assert_eq!(
            names(&consumer["_embedded"]["tags"], "name"),
            [format!("t{}", k % 4)],
            "{consumer}"
        );
    }
    // Every acknowledged verification result is readable, once, with what
    // was sent; the matrix between each pair of versions shows it.
    let (mut ids, mut paths) = (Vec::new(), Vec::new());
    for (i, client) in answers.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
        let k = i / 2;
        let link = path_of(&client[0].json["_links"]["self"]["href"]);
        let result = get(&base, &link);
        assert_eq!(result["success"], k % 3 != 0, "{result}");
        assert_eq!(
            result["providerApplicationVersion"],
            format!("9.0.{k}"),
            "{result}"
        );
        let (path, id) = link.rsplit_once('/').unwrap();
        ids.push(id.parse::<u64>().unwrap());
        paths.push(path.to_owned());
        let matrix = get(
            &base,
            &format!(
                "/matrix?q[][pacticipant]=Foo&q[][version]=1.0.{}&q[][pacticipant]=Bar&q[][version]=9.0.{k}&latestby=cvpv",
                k % 10
            ),
        );
        assert_eq!(matrix["matrix"].as_array().unwrap().len(), 1, "{matrix}");
        assert_eq!(
            matrix["matrix"][0]["verificationResult"]["success"],
            k % 3 != 0,
            "{matrix}"
        );
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 20, "{ids:?}");
    // Nothing beyond the acknowledged results was recorded: of the ids up
    // to one past the highest, exactly the twenty acknowledged exist.
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), 10, "{paths:?}");
    let recorded: Vec<u64> = (1..=ids.last().unwrap() + 1)
        .filter(|id| {
            paths
                .iter()
                .any(|p| Call::get(format!("{p}/{id}")).expect(&base).status == 200)
        })
        .collect();
    assert_eq!(recorded, ids);
}

#[test]
fn forty_identical_writes_at_once_make_one_record() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let base = broker.url.clone();
    let answers = at_once(&base, |_| {
        vec![
            Call::new("POST", "/contracts/publish").json(&publication(
                &pact("Foo", "Bar", "same"),
                "1.0.0",
                Some("main"),
                &["prod"],
            )),
            Call::new("PUT", "/pacticipants/Foo/versions/1.0.0/tags/dev").json(&json!({})),
            Call::new("POST", "/environments")
                .json(&json!({"name": "production", "production": true})),
        ]
    });
    let mut created_environments = 0;
    for (i, client) in answers.iter().enumerate() {
        assert_eq!(client[0].status, 200, "client {i}: {}", client[0].text);
        assert!(
            [200, 201].contains(&client[1].status),
            "client {i}: {}",
            client[1].text
        );
        match client[2].status {
            201 => created_environments += 1,
            400 | 409 => assert!(client[2].is_json_error(), "{}", client[2].text),
            other => panic!(
                "client {i}: environment answered {other}: {}",
                client[2].text
            ),
        }
    }
    assert_eq!(created_environments, 1);
    let environments = get(&base, "/environments");
    assert_eq!(
        names(&environments["_embedded"]["environments"], "name"),
        ["production"]
    );
    let version = get(&base, "/pacticipants/Foo/versions/1.0.0");
    let mut tags = names(&version["_embedded"]["tags"], "name");
    tags.sort_unstable();
    assert_eq!(tags, ["dev", "prod"], "{version}");
    assert_eq!(
        names(&version["_embedded"]["branchVersions"], "name"),
        ["main"]
    );
    let versions = get(&base, "/pacticipants/Foo/versions");
    assert_eq!(
        names(&versions["_embedded"]["versions"], "number"),
        ["1.0.0"]
    );
}

#[test]
fn forty_deployments_to_one_instance_at_once_leave_exactly_one_current() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let base = broker.url.clone();
    let env = Call::new("POST", "/environments")
        .json(&json!({"name": "production", "production": true}))
        .expect(&base);
    assert_eq!(env.status, 201, "{}", env.text);
    let env = env.json["uuid"].as_str().unwrap().to_owned();
    for i in 0..CLIENTS {
        let answer = Call::new("PUT", format!("/pacticipants/Bar/versions/1.0.{i}"))
            .json(&json!({}))
            .expect(&base);
        assert!(answer.status < 300, "{}", answer.text);
    }
    // Forty versions deployed to the same instance at once, and the same
    // label and webhook uuid written forty times.
    let answers = at_once(&base, move |i| {
        vec![
            Call::new(
                "POST",
                format!("/pacticipants/Bar/versions/1.0.{i}/deployed-versions/environment/{env}"),
            )
            .json(&json!({"applicationInstance": "blue"})),
            Call::new("PUT", "/pacticipants/Bar/labels/team-a").json(&json!({})),
            Call::new("PUT", "/webhooks/the-one").json(&json!({
                "events": [{"name": "contract_published"}],
                "request": {"method": "POST", "url": format!("https://ci.example/{i}")},
            })),
        ]
    });
    let mut created = [0, 0];
    for (i, client) in answers.iter().enumerate() {
        assert_eq!(client[0].status, 201, "client {i}: {}", client[0].text);
        for (slot, answer) in created.iter_mut().zip(&client[1..]) {
            match answer.status {
                201 => *slot += 1,
                200 => {}
                other => panic!("client {i}: {other} {}", answer.text),
            }
        }
    }
    assert_eq!(created, [1, 1], "one label and one webhook were created");
    let environments = get(&base, "/environments");
    let env = environments["_embedded"]["environments"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let current = get(
        &base,
        &format!("/environments/{env}/deployed-versions/currently-deployed"),
    );
    let deployed = current["_embedded"]["deployedVersions"]
        .as_array()
        .unwrap_or_else(|| panic!("{current}"));
    assert_eq!(deployed.len(), 1, "{current}");
    let labels = get(&base, "/labels");
    assert_eq!(names(&labels["_embedded"]["labels"], "name"), ["team-a"]);
    let labelled = get(&base, "/pacticipants/label/team-a");
    assert_eq!(
        names(&labelled["_embedded"]["pacticipants"], "name"),
        ["Bar"]
    );
    let hooks = get(&base, "/webhooks");
    assert_eq!(
        hooks["_embedded"]["webhooks"].as_array().map(Vec::len),
        Some(1),
        "{hooks}"
    );
}
