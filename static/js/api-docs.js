// The API documentation: Swagger UI (from the npm registry) reading Kompas's OpenAPI document.
// A file of its own, so the page needs no inline script under the Content-Security-Policy.
window.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({
    url: document.getElementById("swagger-ui").dataset.openapi,
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
});
