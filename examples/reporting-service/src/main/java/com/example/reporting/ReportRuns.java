package com.example.reporting;

import com.messagingconnectors.events.starter.Events;
import com.messagingconnectors.events.starter.PlatformEvents;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.schemas.avro.SyncFailed;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stands in for a reporting service's own work: running a report ends with a report.completed event, a failed
 * source sync with sync.failed. The events go out through the starter's {@link PlatformEvents}.
 */
@RestController
public class ReportRuns {
    private final PlatformEvents events;

    public ReportRuns(PlatformEvents events) {
        this.events = events;
    }

    /** Runs report {id} for a workspace (here: instantly) and announces it. */
    @PostMapping("/workspaces/{workspaceId}/reports/{reportId}/runs")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> run(@PathVariable String workspaceId, @PathVariable String reportId,
                                   @RequestParam(defaultValue = "Weekly revenue") String name) {
        PlatformEvent sent = events.publish(Events.reportCompleted(workspaceId, name + " report finished",
                        ReportCompleted.newBuilder().setReportId(reportId).setReportName(name).setRowCount(1200L).build())
                .link("https://app.example.com/reports/" + reportId)
                .source("reporting-service"));
        return Map.of("eventId", sent.getEventId());
    }

    /** A data source sync failed. */
    @PostMapping("/workspaces/{workspaceId}/sources/{sourceId}/sync-failures")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> syncFailed(@PathVariable String workspaceId, @PathVariable String sourceId,
                                          @RequestParam(defaultValue = "token expired") String error) {
        PlatformEvent sent = events.publish(Events.syncFailed(workspaceId, "Sync of " + sourceId + " failed",
                SyncFailed.newBuilder().setSourceId(sourceId).setSourceName(sourceId).setConnector("salesforce")
                        .setErrorMessage(error).build()).source("reporting-service"));
        return Map.of("eventId", sent.getEventId());
    }
}
