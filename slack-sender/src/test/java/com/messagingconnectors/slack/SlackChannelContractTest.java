package com.messagingconnectors.slack;

import com.messagingconnectors.channelcontract.ChannelContract;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The Slack channel passes the channel contract against a stand-in Web API; the bot token is its secret. */
class SlackChannelContractTest extends ChannelContract {

    @Override
    protected NotificationChannel channel(URI platform, Duration timeout) {
        return new SlackChannel(SlackSenderConfiguration.slackMethods(platform.toString(), timeout),
                SlackFixtures.SECRETS, sink -> SlackSenderConfiguration.slack(sink.toString(), timeout));
    }

    @Override
    protected DeliveryRequest request(URI platform) {
        return SlackFixtures.request(SlackFixtures.integration("chat:write", Map.of()),
                SlackFixtures.reportCompleted("Weekly revenue", "Weekly revenue is ready"));
    }

    @Override
    protected List<String> secrets() {
        return List.of(SlackFixtures.TOKEN);
    }

    @Override
    protected String successBody() {
        return "{\"ok\":true,\"channel\":\"C_analytics\",\"ts\":\"1700000000.000100\"}";
    }

    /** Slack answers errors with a JSON body naming the error. */
    @Override
    protected String errorBody(int status) {
        return "{\"ok\":false,\"error\":\"" + (status == 429 ? "ratelimited" : status >= 500 ? "internal_error"
                : "invalid_arguments") + "\"}";
    }
}
