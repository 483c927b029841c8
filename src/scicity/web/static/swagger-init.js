// Starts Swagger UI on /api/docs from the vendored bundle (no CDN).
window.addEventListener("DOMContentLoaded", function () {
  window.ui = window.SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
