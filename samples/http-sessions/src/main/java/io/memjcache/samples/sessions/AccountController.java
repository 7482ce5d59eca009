package io.memjcache.samples.sessions;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Log in, see who you are, log out: plain {@link HttpSession} code, unaware of memcached. */
@RestController
public class AccountController {

  private final String instance;

  public AccountController(@Value("${app.instance-name:web}") String instance) {
    this.instance = instance;
  }

  /** Logs {@code user} in (no password: this sample is about where the session lives). */
  @PostMapping("/login")
  public String login(@RequestParam String user, HttpServletRequest request) {
    request.getSession().setAttribute("user", user);
    request.changeSessionId(); // a new id once logged in, against session fixation
    return "logged in as " + user + " on " + instance + "\n";
  }

  /** Who the session belongs to, and which instance answered. */
  @GetMapping("/me")
  public ResponseEntity<String> me(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    Object user = session == null ? null : session.getAttribute("user");
    if (user == null) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body("not logged in (" + instance + ")\n");
    }
    return ResponseEntity.ok(user + " (" + instance + ")\n");
  }

  @PostMapping("/logout")
  public String logout(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    return "logged out on " + instance + "\n";
  }
}
