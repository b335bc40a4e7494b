package com.messagingconnectors.config.microsoft;

/** The delegated Microsoft Graph permissions a Teams integration asks for (docs/teams.md, app registration). */
public final class TeamsScopes {
    /** What delivery needs: a refresh token, posting, and the two pickers. Asked again on every refresh. */
    public static final String DELIVERY = "offline_access ChannelMessage.Send Team.ReadBasic.All Channel.ReadBasic.All";
    /** The sign-in adds who signed in and in which tenant (the ID token). */
    public static final String SIGN_IN = "openid profile " + DELIVERY;

    private TeamsScopes() {
    }
}
