"""The version of Kompas, semantic, one for the application and its API: the package's version
(pyproject.toml reads it from here), the API's `API-Version` header and OpenAPI document,
`/versie`, every log line and the `kompas_app_info` metric. What changed in each is in
CHANGELOG.md (and, for the API, docs/api-changelog.md)."""

VERSION = "2.0.0"
