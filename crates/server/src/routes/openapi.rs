//! Refusals that shared extractors and middleware give, written into every operation they guard,
//! so that the OpenAPI document tells the truth about each one (SEC-3): the session (401), the
//! CSRF token and the cross-site refusal of writes (403), and request bodies and path or query
//! parameters that cannot be read (400, 413, 415). Each handler documents only its own answers.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};

/// Adds the shared refusals to each operation of `document` that can give them.
pub fn document_shared_refusals(document: &mut OpenApi) {
    for (path, item) in document.paths.paths.iter_mut() {
        let methods = [
            ("GET", &mut item.get),
            ("PUT", &mut item.put),
            ("POST", &mut item.post),
            ("DELETE", &mut item.delete),
            ("PATCH", &mut item.patch),
        ];
        for (method, operation) in methods {
            if let Some(operation) = operation {
                add_shared_refusals(path, method, operation);
            }
        }
    }
}

/// Operations of the signed-in agent: everything under `/me`, and the session itself except
/// signing in.
fn needs_session(path: &str, method: &str) -> bool {
    path.starts_with("/me/") || (path == "/session" && method != "POST")
}

fn add_shared_refusals(path: &str, method: &str, operation: &mut Operation) {
    if needs_session(path, method) {
        refusal(operation, 401, "Not signed in, or the session has expired");
    }
    if method != "GET" {
        refusal(
            operation,
            403,
            "Refused as a cross-site request: no or a wrong CSRF token, or sent from another site",
        );
    }
    if operation.request_body.is_some() {
        refusal(operation, 400, "The body is not JSON of the expected shape");
        refusal(operation, 413, "The body is too large");
        refusal(operation, 415, "The body is not JSON (Content-Type)");
    }
    let has_parameter = operation.parameters.iter().flatten().any(|parameter| {
        matches!(
            parameter.parameter_in,
            ParameterIn::Path | ParameterIn::Query
        )
    });
    if has_parameter {
        refusal(
            operation,
            400,
            "A path or query parameter is missing or not of its type",
        );
    }
}

/// Documents `status` as a problem, unless the handler already documents it.
fn refusal(operation: &mut Operation, status: u16, description: &str) {
    let problem = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .build();
    operation
        .responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| {
            ResponseBuilder::new()
                .description(description)
                .content("application/problem+json", problem)
                .build()
                .into()
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_agent_s_own_operations_need_a_session() {
        assert!(needs_session("/me/settings", "PUT"));
        assert!(needs_session("/session", "GET"));
        assert!(needs_session("/session", "DELETE"));
        assert!(!needs_session("/session", "POST"));
        assert!(!needs_session("/workbench", "GET"));
        assert!(!needs_session("/routing-codes/{code}", "GET"));
    }
}
