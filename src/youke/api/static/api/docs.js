// Starts Swagger UI for /api/v1/docs (no inline script: the site's CSP forbids it).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var csrfToken = root.dataset.csrfToken;
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    // The validator badge would send the schema to validator.swagger.io.
    validatorUrl: null,
    // Signed-in browsers use the session; state-changing calls need Django's CSRF token.
    requestInterceptor: function (request) {
      if (csrfToken) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
