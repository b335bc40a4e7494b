package com.messagingconnectors.config.auth;

import com.messagingconnectors.schemas.EventJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Map;

/**
 * The tenant check, on what Spring MVC matched: when the handler's path has a {@code {workspaceId}} variable, the
 * caller must belong to that workspace (or be the operator). Runs after the handler is chosen and before its
 * arguments (and body) are read, so it sees exactly the workspace the handler will act on.
 */
final class WorkspaceAccessInterceptor implements HandlerInterceptor {
    static final String WORKSPACE_VARIABLE = "workspaceId";

    @Override
    @SuppressWarnings("unchecked")
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        Map<String, String> variables = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String workspaceId = variables == null ? null : variables.get(WORKSPACE_VARIABLE);
        if (workspaceId == null) {
            return true;
        }
        Caller caller = (Caller) request.getAttribute(Caller.REQUEST_ATTRIBUTE);
        if (caller == null) {
            response.setHeader("WWW-Authenticate", "Bearer");
            Problems.write(response, 401, "Unauthorized",
                    "this API needs an API key: send 'Authorization: Bearer <key>'");
            return false;
        }
        if (!EventJson.WORKSPACE_ID_PATTERN.matcher(workspaceId).matches()) {
            Problems.write(response, 400, "Bad Request", "the workspace id in the path must look like "
                    + "ws_<letters, digits, _ or -> (at most 60 after ws_)");
            return false;
        }
        if (!caller.mayAccess(workspaceId)) {
            Problems.write(response, 403, "Forbidden", "this API key belongs to workspace " + caller.workspaceId()
                    + " and cannot act on another workspace");
            return false;
        }
        return true;
    }
}
