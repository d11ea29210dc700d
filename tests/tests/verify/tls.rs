//! An HTTPS provider (the users app behind a TLS front whose certificate a
//! test CA signed): its certificate must be trusted, through `ca_certs` or
//! by accepting any; otherwise the provider cannot be reached, which is an
//! infrastructure error that says why.

use treaty_core::verify::{
    verify, ErrorKind, Outcome, TlsOptions, Verdict, VerificationReport, VerifyError,
};
use treaty_tests::server::{tls_ca_pem, TestServer};
use treaty_tests::users::app;

use super::contracts::{contract, get_user, health, options};

fn verify_https(tls: TlsOptions) -> Result<VerificationReport, VerifyError> {
    let (router, _) = app(Default::default());
    let plain = TestServer::serve(router);
    let https = TestServer::tls_in_front_of(plain.addr);
    assert!(https.url.starts_with("https://127.0.0.1:"));
    let mut options = options(&https.url);
    options.tls = tls;
    let contracts = vec![contract("web", vec![health(), get_user()])];
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(verify(contracts, options))
}

#[test]
fn a_certificate_from_an_unknown_authority_is_refused_and_said_so() {
    let report = verify_https(TlsOptions::default()).unwrap();
    assert_eq!(report.verdict(), Verdict::Infrastructure);
    for (_, interaction) in report.interactions() {
        match &interaction.outcome {
            Outcome::Error { kind, message } => {
                assert!(
                    matches!(
                        kind,
                        ErrorKind::ProviderUnreachable | ErrorKind::StateChangeFailed
                    ),
                    "{kind:?}"
                );
                assert!(message.contains("certificate"), "{message}");
            }
            other => panic!("expected an error, got {other:?}"),
        }
    }
}

#[test]
fn a_ca_file_makes_the_provider_trusted() {
    let tls = TlsOptions {
        ca_certs: vec![tls_ca_pem()],
        ..TlsOptions::default()
    };
    let report = verify_https(tls).unwrap();
    assert_eq!(report.verdict(), Verdict::Passed, "{report:#?}");
    assert_eq!(report.summary().passed, 2);
}

#[test]
fn accepting_any_certificate_reaches_the_provider() {
    let tls = TlsOptions {
        accept_invalid_certs: true,
        ..TlsOptions::default()
    };
    let report = verify_https(tls).unwrap();
    assert_eq!(report.verdict(), Verdict::Passed, "{report:#?}");
}

#[test]
fn a_ca_file_that_is_missing_or_not_pem_stops_the_run_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("not-a-cert.pem");
    std::fs::write(&garbage, "hello").unwrap();
    let missing = dir.path().join("missing.pem");
    for (path, why) in [(garbage, "no PEM certificate"), (missing, "No such file")] {
        let tls = TlsOptions {
            ca_certs: vec![path.clone()],
            ..TlsOptions::default()
        };
        let error = verify_https(tls).unwrap_err();
        assert!(matches!(error, VerifyError::CaCert(_)), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains(why), "{message}");
    }
}
