package io.skyhaul.console.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A method and path template ({@code /transfers/{id}/cancel}) with the handler and the action
 * that decides who may call it. {@code action == null} with {@code signedIn} means any
 * signed-in user; {@code signedIn == false} is for the sign-in page only.
 */
public record Route(String method, String template, Pattern pattern, List<String> names, Action action, boolean signedIn, Handler handler) {
    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");

    public static Route of(String method, String template, Action action, boolean signedIn, Handler handler) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAM.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([A-Za-z0-9._~-]{1,128})");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return new Route(method, template, Pattern.compile(regex.toString()), List.copyOf(names), action, signedIn, handler);
    }

    /** The path parameters when {@code path} matches this route's template. */
    public Optional<Map<String, String>> match(String path) {
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), m.group(i + 1));
        }
        return Optional.of(values);
    }
}
